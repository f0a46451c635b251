using System.Globalization;

namespace TrackSharp.Evaluation.Vot;

/// <summary>What a VOT trajectory entry is, decided by its number of values as pysot's <c>vot_overlap</c> does.</summary>
public enum VotRegionKind
{
    /// <summary>A single value: the VOT codes 1 (initialised), 2 (failure), 0 (skipped / burn-in).</summary>
    Special,
    /// <summary>Four values <c>x, y, w, h</c> (top-left corner and size, pixels).</summary>
    Rectangle,
    /// <summary>Six or more values <c>x1, y1, x2, y2, ...</c>: polygon vertices in pixel coordinates.</summary>
    Polygon,
}

/// <summary>
/// One entry of a VOT trajectory (result or ground-truth line) with its values kept as parsed doubles, as pysot's
/// dataset and result readers keep them (<c>list(map(float, line.split(',')))</c>); conversion to float32 happens only
/// inside the overlap computation.
/// </summary>
public sealed class VotRegion
{
    /// <summary>VOT code written at (re)initialisation.</summary>
    public const int InitCode = 1;
    /// <summary>VOT code written at a failure frame.</summary>
    public const int FailureCode = 2;
    /// <summary>VOT code of a skipped frame (and of burn-in frames inside pysot's accuracy).</summary>
    public const int SkipCode = 0;

    private readonly double[] _values;

    private VotRegion(double[] values, VotRegionKind kind)
    {
        _values = values;
        Kind = kind;
    }

    public VotRegionKind Kind { get; }

    /// <summary>The raw values (1, 4 or an even number >= 6).</summary>
    public IReadOnlyList<double> Values => _values;

    public bool IsSpecial => Kind == VotRegionKind.Special;

    /// <summary>True for the special code <paramref name="code"/> (pysot: <c>len(x) == 1 and x[0] == code</c>).</summary>
    public bool IsCode(int code) => Kind == VotRegionKind.Special && _values[0] == code;

    public static VotRegion Special(int code) => new([code], VotRegionKind.Special);

    public static VotRegion Rectangle(double x, double y, double width, double height) =>
        new([x, y, width, height], VotRegionKind.Rectangle);

    /// <summary>A region from its values; 1 value = code, 4 = rectangle, an even count >= 6 = polygon.</summary>
    public static VotRegion FromValues(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var copy = values.ToArray();
        VotRegionKind kind = copy.Length switch
        {
            1 => VotRegionKind.Special,
            4 => VotRegionKind.Rectangle,
            >= 6 when copy.Length % 2 == 0 => VotRegionKind.Polygon,
            _ => throw new ArgumentException(
                $"A VOT region has 1 (code), 4 (rectangle) or an even number >= 6 (polygon) values, not {copy.Length}."),
        };
        return new VotRegion(copy, kind);
    }

    /// <summary>
    /// Parses one comma-separated line (pysot splits on <c>,</c> only and reads each field with Python <c>float</c>,
    /// so <c>nan</c> is accepted). <paramref name="where"/> names the file and line in the error message.
    /// </summary>
    public static VotRegion Parse(string line, string where = "")
    {
        ArgumentNullException.ThrowIfNull(line);
        var fields = line.Trim().Split(',');
        var values = new double[fields.Length];
        for (int i = 0; i < fields.Length; i++)
        {
            if (!double.TryParse(fields[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
                throw new FormatException($"{where}: field {i + 1} '{fields[i]}' of '{line}' is not a number.");
        }
        try
        {
            return FromValues(values);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{where}: {e.Message}", e);
        }
    }

    public override string ToString() =>
        string.Join(",", _values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
}
