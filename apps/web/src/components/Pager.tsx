/** Previous / next for a paginated list, with where you are. */
export function Pager({ page, pageSize, total, label, onPage }: { page: number; pageSize: number; total: number; label: string; onPage: (page: number) => void }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" className="button button-quiet" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        ← Newer
      </button>
      <span aria-current="page">
        Page {page} of {pages}
      </span>
      <button type="button" className="button button-quiet" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Older →
      </button>
    </nav>
  );
}
