package io.secretsync.operator.reconciler;

/**
 * The page size of every list our informers make. An informer lists everything before it
 * watches, and a list of Secrets comes with their data: the API server cannot leave it out. In
 * one response, 30,000 replicas of a few KiB each need more heap than the shipped image has (the
 * operator died of OutOfMemoryError on restart at that size in the real-server benchmark). Page by
 * page, the store keeps only the metadata and digest of each page before the next one arrives, so
 * the heap a restart needs stays that of one page plus the slim cache.
 */
final class ListPages {
    /** Replicas per page: at a few KiB each, a page is a few MiB; 30,000 replicas are 60 requests. */
    static final long SIZE = 500;

    private ListPages() {
    }
}
