using System.Globalization;
using TrackSharp.Evaluation;

namespace TrackSharp.Detection.Evaluation;

/// <summary>
/// pycocotools' <c>summarize()</c> for bbox: the 12 stats (AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100, ARs, ARm,
/// ARl), each the mean of the entries &gt; -1 of a slice of precision or recall (zeros included; -1 when there are
/// none), and the 12 lines it prints. The mean is numpy's (pairwise summation inside 8192-element buffers), so the
/// stats are bit-identical, not only within 1e-15. IoU .50 and .75 are the threshold indices 0 and 5, as pycocotools'
/// float-equality lookup finds them on the default thresholds.
/// </summary>
public sealed class CocoSummary
{
    /// <summary>Names of <see cref="Stats"/> in order.</summary>
    public static IReadOnlyList<string> StatNames { get; } =
        ["AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl"];

    private CocoSummary(double[] stats, string[] lines) { Stats = stats; Lines = lines; }

    public IReadOnlyList<double> Stats { get; }

    /// <summary>The printed lines, e.g. <c>" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.388"</c>.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>Stat by name (see <see cref="StatNames"/>).</summary>
    public double this[string name] => Stats[StatNames.ToList().IndexOf(name) is >= 0 and var i ? i : throw new KeyNotFoundException($"no COCO stat '{name}'")];

    private readonly record struct Spec(bool Ap, int? IouIndex, int Area, int MaxDetIndex);

    internal static CocoSummary From(CocoEvaluation e)
    {
        int m100 = e.M - 1;
        Spec[] specs =
        [
            new(true, null, 0, m100), new(true, 0, 0, m100), new(true, 5, 0, m100),
            new(true, null, 1, m100), new(true, null, 2, m100), new(true, null, 3, m100),
            new(false, null, 0, 0), new(false, null, 0, Math.Min(1, m100)), new(false, null, 0, m100),
            new(false, null, 1, m100), new(false, null, 2, m100), new(false, null, 3, m100),
        ];
        var stats = new double[specs.Length];
        var lines = new string[specs.Length];
        for (int s = 0; s < specs.Length; s++)
        {
            var spec = specs[s];
            var selected = new List<double>();
            if (spec.Ap)
            {
                for (int t = 0; t < e.T; t++)
                {
                    if (spec.IouIndex is { } ti && t != ti) continue;
                    for (int r = 0; r < e.R; r++)
                        for (int k = 0; k < e.K; k++)
                        {
                            double v = e.PrecisionAt(t, r, k, spec.Area, spec.MaxDetIndex);
                            if (v > -1) selected.Add(v);
                        }
                }
            }
            else
            {
                for (int t = 0; t < e.T; t++)
                {
                    if (spec.IouIndex is { } ti && t != ti) continue;
                    for (int k = 0; k < e.K; k++)
                    {
                        double v = e.RecallAt(t, k, spec.Area, spec.MaxDetIndex);
                        if (v > -1) selected.Add(v);
                    }
                }
            }
            stats[s] = selected.Count == 0 ? -1.0 : NumpyMean(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(selected));
            lines[s] = FormatLine(spec.Ap, spec.IouIndex is { } i ? e.Parameters.IouThresholds[i] : null,
                e.Parameters.IouThresholds, e.Parameters.AreaRanges[spec.Area].Label, e.Parameters.MaxDetections[spec.MaxDetIndex], stats[s]);
        }
        return new CocoSummary(stats, lines);
    }

    /// <summary><c>np.mean</c> of a contiguous float64 vector: pairwise sums of 8192-element buffers, added left to
    /// right onto 0, divided by the count.</summary>
    internal static double NumpyMean(ReadOnlySpan<double> values)
    {
        const int Buffer = 8192;
        double sum = 0.0;
        for (int start = 0; start < values.Length; start += Buffer)
            sum += NumpyReductions.PairwiseSum(values.Slice(start, Math.Min(Buffer, values.Length - start)));
        return sum / values.Length;
    }

    /// <summary>One line of <c>summarize()</c>: <c>' {:&lt;18} {} @[ IoU={:&lt;9} | area={:&gt;6s} | maxDets={:&gt;3d} ] = {:0.3f}'</c>.</summary>
    public static string FormatLine(bool averagePrecision, double? iouThreshold, IReadOnlyList<double> iouThresholds,
        string areaLabel, int maxDetections, double value)
    {
        string title = averagePrecision ? "Average Precision" : "Average Recall";
        string type = averagePrecision ? "(AP)" : "(AR)";
        string iou = iouThreshold is { } t
            ? PythonFixed(t, 2)
            : $"{PythonFixed(iouThresholds[0], 2)}:{PythonFixed(iouThresholds[^1], 2)}";
        return $" {title,-18} {type} @[ IoU={iou,-9} | area={areaLabel,6} | maxDets={maxDetections.ToString(CultureInfo.InvariantCulture),3} ] = {PythonFixed(value, 3)}";
    }

    /// <summary>
    /// Python's <c>'{:0.Nf}'.format(x)</c>: the exact binary value rounded half to even. .NET's "F" format rounds the
    /// exact value too but breaks exact ties away from zero (0.0625 gives "0.063" where Python prints "0.062"), so
    /// ties, which only occur for dyadic values, are resolved here with exact decimal arithmetic.
    /// </summary>
    public static string PythonFixed(double value, int decimals)
    {
        string format = "F" + decimals.ToString(CultureInfo.InvariantCulture);
        string s = value.ToString(format, CultureInfo.InvariantCulture);
        if (!IsExactTie(value, decimals) || Math.Abs(value) >= 1e15) return s;
        // A tie is a dyadic value with at most decimals + 1 decimal digits: System.Decimal holds it exactly.
        return Math.Round((decimal)value, decimals, MidpointRounding.ToEven).ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>True when <c>value * 10^decimals</c> is exactly an integer plus one half (exact rational arithmetic).</summary>
    private static bool IsExactTie(double value, int decimals)
    {
        if (double.IsNaN(value) || double.IsInfinity(value) || value == 0) return false;
        long bits = BitConverter.DoubleToInt64Bits(Math.Abs(value));
        int exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0) exponent++; else mantissa |= 1L << 52;
        exponent -= 1075; // value = mantissa * 2^exponent
        if (exponent >= 0) return false; // an integer: value * 2 * 10^d is even
        var numerator = new System.Numerics.BigInteger(mantissa) * System.Numerics.BigInteger.Pow(10, decimals) * 2;
        var denominator = System.Numerics.BigInteger.Pow(2, -exponent);
        var quotient = System.Numerics.BigInteger.DivRem(numerator, denominator, out var remainder);
        return remainder.IsZero && !quotient.IsEven;
    }
}
