package dev.memlayer.api;

import dev.memlayer.api.filter.Filter;

/**
 * The input of {@link Memory#getAll} (SPEC §5): a scope and/or filter, and a page.
 *
 * @param scope          the scope; may be empty when {@code filter} names a scope id
 * @param filter         an additional filter, or null
 * @param page           the page number, from 1
 * @param pageSize       items per page, 1 to {@value #MAX_PAGE_SIZE}, default {@value #DEFAULT_PAGE_SIZE}
 * @param includeExpired true to include memories past their expiration date
 */
public record GetAllRequest(Scope scope, Filter filter, int page, int pageSize, boolean includeExpired) {

    public static final int DEFAULT_PAGE_SIZE = 100;
    public static final int MAX_PAGE_SIZE = 1000;

    /**
     * @throws ValidationException ({@link ErrorCode#INVALID_PAGE}) for a page below 1 or a page
     *                             size outside [1, {@value #MAX_PAGE_SIZE}]
     */
    public GetAllRequest {
        scope = scope == null ? Scope.none() : scope;
        if (page < 1) {
            throw new ValidationException(ErrorCode.INVALID_PAGE, "page starts at 1, got " + page);
        }
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new ValidationException(ErrorCode.INVALID_PAGE,
                    "page_size must be between 1 and " + MAX_PAGE_SIZE + ", got " + pageSize);
        }
    }

    /** @return page 1 of the scope, default page size */
    public static GetAllRequest of(Scope scope) {
        return new GetAllRequest(scope, null, 1, DEFAULT_PAGE_SIZE, false);
    }

    /** @return the given page of the scope and filter */
    public static GetAllRequest of(Scope scope, Filter filter, int page, int pageSize) {
        return new GetAllRequest(scope, filter, page, pageSize, false);
    }
}
