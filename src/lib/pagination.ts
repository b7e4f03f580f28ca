/** Where a list page stands: the one pagination of the app (the session list, the history). */
export interface Pagination {
  page: number
  pageCount: number
  total: number
  /** 1-based rank of the first and last rows shown (0 when there are none). */
  from: number
  to: number
  offset: number
  limit: number
}

/** `?page=N` (or `?historique=N`) as typed: anything but a plain positive integer means the first page. */
export function parsePage(value: unknown): number {
  if (typeof value !== 'string' || !/^[1-9]\d{0,6}$/.test(value)) return 1
  return Number(value)
}

/** A page past the end shows the last one (a list that shrank since the link was made). */
export function paginate(total: number, requestedPage: number, perPage: number): Pagination {
  const pageCount = Math.max(1, Math.ceil(total / perPage))
  const page = Math.min(Math.max(1, requestedPage), pageCount)
  const offset = (page - 1) * perPage
  return { page, pageCount, total, offset, limit: perPage, from: total === 0 ? 0 : offset + 1, to: Math.min(total, offset + perPage) }
}
