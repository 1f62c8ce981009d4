package io.secretsync.operator.remote;

/**
 * A kubeconfig the operator refuses. The message names the field and says what to do, never a
 * value of the kubeconfig; there is deliberately no cause (a parser's message may quote the text).
 */
public final class InvalidKubeconfig extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidKubeconfig(String message) {
        super(message, null, false, false);
    }
}
