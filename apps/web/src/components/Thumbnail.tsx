import { useEffect, useState } from "react";

/** A local preview of a picked file: the object URL lives exactly as long as the element. */
export function Thumbnail({ file, alt = "", className }: { file: Blob; alt?: string; className?: string }) {
  const url = useObjectUrl(file);
  return url ? (
    <img className={className} src={url} alt={alt} loading="lazy" decoding="async" />
  ) : (
    <span className={className} aria-hidden="true" />
  );
}

export function useObjectUrl(file: Blob | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!file) {
      setUrl(null);
      return;
    }
    const next = URL.createObjectURL(file);
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [file]);
  return url;
}
