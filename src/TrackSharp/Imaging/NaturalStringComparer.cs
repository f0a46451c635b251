namespace TrackSharp.Imaging;

/// <summary>
/// Orders file names the way people number frames: runs of digits compare by numeric value, so "2.jpg" comes
/// before "10.jpg" whether or not the names are zero-padded (benchmarks mix both). Text runs compare
/// ordinally, ignoring case; ties (e.g. "01" vs "1") fall back to plain ordinal order so the result is total
/// and stable.
/// </summary>
public sealed class NaturalStringComparer : IComparer<string?>
{
    public static NaturalStringComparer Instance { get; } = new();

    public int Compare(string? a, string? b)
    {
        if (ReferenceEquals(a, b)) return 0;
        if (a is null) return -1;
        if (b is null) return 1;
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            if (char.IsAsciiDigit(a[i]) && char.IsAsciiDigit(b[j]))
            {
                int si = i, sj = j;
                while (i < a.Length && char.IsAsciiDigit(a[i])) i++;
                while (j < b.Length && char.IsAsciiDigit(b[j])) j++;
                var da = a.AsSpan(si, i - si).TrimStart('0');
                var db = b.AsSpan(sj, j - sj).TrimStart('0');
                // Without leading zeros, a longer digit run is a larger number; equal lengths compare digit-wise.
                // This never overflows, however long the numbers are.
                if (da.Length != db.Length) return da.Length.CompareTo(db.Length);
                int c = da.SequenceCompareTo(db);
                if (c != 0) return c;
            }
            else
            {
                int c = char.ToLowerInvariant(a[i]).CompareTo(char.ToLowerInvariant(b[j]));
                if (c != 0) return c;
                i++;
                j++;
            }
        }
        if (i < a.Length) return 1;
        if (j < b.Length) return -1;
        return string.CompareOrdinal(a, b);
    }
}
