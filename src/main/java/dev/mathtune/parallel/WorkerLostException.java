package dev.mathtune.parallel;

/**
 * A collective failed because a worker died or stopped answering: the message names the ranks that did not
 * check in afterwards. The run stops; checkpoints already written stay (rank 0 writes them between steps).
 */
public final class WorkerLostException extends RuntimeException {
    public WorkerLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
