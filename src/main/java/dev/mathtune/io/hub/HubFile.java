package dev.mathtune.io.hub;

/**
 * One file of a Hub repository as its metadata describes it.
 *
 * @param path   path inside the repository ({@code rfilename}), e.g. {@code model.safetensors}
 * @param size   size in bytes, or {@code -1} when unknown
 * @param sha256 hex SHA-256 of the content for LFS files, else {@code null}
 * @param gitOid hex git blob id (SHA-1 of {@code "blob <size>\0" + content}) for non-LFS files, else {@code null}
 */
public record HubFile(String path, long size, String sha256, String gitOid) {

    /** A file known only by its path. */
    public static HubFile named(String path) {
        return new HubFile(path, -1, null, null);
    }

    /** Whether there is a checksum to verify the download against. */
    public boolean hasChecksum() {
        return sha256 != null || gitOid != null;
    }
}
