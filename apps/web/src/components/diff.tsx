/** A line diff (longest common subsequence): small texts such as prompt versions. */
export type DiffLine = { kind: 'same' | 'added' | 'removed'; text: string };

export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  // lcs[i][j]: length of the LCS of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const row = lcs[i] as number[];
      row[j] = a[i] === b[j] ? (lcs[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(lcs[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i] as string });
      i++;
      j++;
    } else if (i < a.length && (j >= b.length || (lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0))) {
      // Removals before additions, as in a unified diff.
      out.push({ kind: 'removed', text: a[i] as string });
      i++;
    } else {
      out.push({ kind: 'added', text: b[j] as string });
      j++;
    }
  }
  return out;
}

export function Diff({ before, after }: { before: string; after: string }) {
  const lines = diffLines(before, after);
  return (
    <pre className="diff">
      {lines.map((l, n) => (
        <div key={`${n}-${l.kind}`} className={`diff-${l.kind}`}>
          <span aria-hidden="true">{l.kind === 'added' ? '+ ' : l.kind === 'removed' ? '- ' : '  '}</span>
          <span className="sr-only">{l.kind === 'same' ? '' : `${l.kind}: `}</span>
          {l.text}
        </div>
      ))}
    </pre>
  );
}
