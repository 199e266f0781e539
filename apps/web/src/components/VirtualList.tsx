import { useCallback, useRef, useState, type ReactNode, type UIEvent } from "react";

interface VirtualListProps<T> {
  items: readonly T[];
  rowHeight: number;
  /** Height of the scrolling box when the list is longer than it. */
  maxHeight: number;
  label: string;
  getKey: (item: T) => string;
  renderRow: (item: T, index: number) => ReactNode;
  overscan?: number;
}

/**
 * A windowed list with fixed-height rows: only the rows in view (plus a few) are in the DOM, so 500
 * files with thumbnails scroll as smoothly as 5.
 */
export function VirtualList<T>({ items, rowHeight, maxHeight, label, getKey, renderRow, overscan = 4 }: VirtualListProps<T>) {
  const [scrollTop, setScrollTop] = useState(0);
  const frame = useRef<number | null>(null);
  const onScroll = useCallback((event: UIEvent<HTMLDivElement>) => {
    const top = event.currentTarget.scrollTop;
    if (frame.current !== null) cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => setScrollTop(top));
  }, []);

  const totalHeight = items.length * rowHeight;
  const height = Math.min(maxHeight, totalHeight);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  const rows: ReactNode[] = [];
  for (let index = first; index < last; index++) {
    const item = items[index] as T;
    rows.push(
      <div
        key={getKey(item)}
        role="listitem"
        aria-setsize={items.length}
        aria-posinset={index + 1}
        className="vlist-row"
        style={{ top: index * rowHeight, height: rowHeight }}
      >
        {renderRow(item, index)}
      </div>,
    );
  }
  return (
    <div className="vlist" style={{ height }} onScroll={onScroll} tabIndex={0} role="list" aria-label={label}>
      <div className="vlist-inner" style={{ height: totalHeight }}>
        {rows}
      </div>
    </div>
  );
}
