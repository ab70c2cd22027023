package dev.mathtune.train;

/**
 * One tokenized training example: {@code ids} = prompt tokens, response tokens, EOS; {@code target[i]} says
 * whether token i is predicted in the loss (response and EOS by default).
 */
public record SftExample(int[] ids, boolean[] target) {
    public int targets() {
        int n = 0;
        for (boolean b : target) if (b) n++;
        return n;
    }
}
