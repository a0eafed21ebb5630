package dev.memlayer.api;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param count    the total number of matching items on all pages
 * @param page     this page's number, from 1
 * @param pageSize the requested page size
 * @param results  this page's items (at most pageSize)
 * @param <T>      the item type
 */
public record Page<T>(long count, int page, int pageSize, List<T> results) {
    public Page {
        results = List.copyOf(results);
    }

    /** @return true if a later page has items */
    public boolean hasNext() {
        return (long) page * pageSize < count;
    }

    /** @return true if this is not the first page */
    public boolean hasPrevious() {
        return page > 1;
    }
}
