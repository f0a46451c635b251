using System.Diagnostics;
using System.Globalization;
using System.Text;
using OpenCvSharp;
using TrackSharp.Evaluation.Vot;
using TrackSharp.Geometry;
using TrackSharp.Imaging;
using TrackSharp.Tracking;

namespace TrackSharp.Evaluation.Runs;

/// <summary>One sequence run with the reset protocol: the trajectory (codes and boxes) and seconds per frame
/// (NaN for a skipped frame).</summary>
public sealed record VotLoopResult(IReadOnlyList<VotRegion> Trajectory, double[] Times)
{
    /// <summary>Frames with the failure code 2.</summary>
    public int Failures => VotStatistics.CalculateFailures(Trajectory).Length;
}

/// <summary>
/// The VOT supervised ("baseline", reset-based) loop of pysot's <c>tools/test.py</c>: the tracker is initialised on
/// frame 0 (code <c>1</c>); on every later frame it tracks, and the box is kept while pysot's
/// <c>vot_overlap(pred, gt, (W, H))</c> with the ground-truth polygon is <c>&gt; 0</c>; otherwise (0 or NaN) the
/// frame is a failure (code <c>2</c>), the next 4 frames are skipped (code <c>0</c>, not even decoded) and the
/// tracker is initialised again 5 frames after the failure (code <c>1</c>) on that frame's ground truth. A failure
/// fewer than 5 frames before the end is never followed by a re-initialisation.
/// <para>As in pysot, a 4-value ground truth <c>x,y,w,h</c> is compared as the polygon
/// <c>x,y, x,y+h-1, x+w-1,y+h-1, x+w-1,y</c>, and the init box is <see cref="InitBox"/> of the ground truth.</para>
/// </summary>
public static class VotResetLoop
{
    /// <summary>Frames from a failure to the re-initialisation (pysot <c>frame_counter = idx + 5</c>).</summary>
    public const int ReinitDelay = EaoBenchmark.Skipping;

    /// <summary>Runs the loop over frames 0 .. <paramref name="frames"/>-1.</summary>
    /// <param name="tracker">A tracker; it is initialised again at every re-initialisation.</param>
    /// <param name="groundTruth">Ground-truth regions (at least <paramref name="frames"/>), polygons or rectangles.</param>
    /// <param name="frames">Frames to run.</param>
    /// <param name="readFrame">Decodes frame i (BGR uint8); the loop disposes it. Its size is the overlap bound.</param>
    /// <param name="frameDone">Called after every frame, skipped ones included.</param>
    /// <param name="cancellation">Stops the loop between frames.</param>
    /// <exception cref="ArgumentException">A ground-truth region at an init frame is a code, or gives no valid box.</exception>
    public static VotLoopResult Run(ITracker tracker, IReadOnlyList<VotRegion> groundTruth, int frames, Func<int, Mat> readFrame,
        Action? frameDone = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(readFrame);
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frames, groundTruth.Count);

        var trajectory = new VotRegion[frames];
        var times = new double[frames];
        var clock = new Stopwatch();
        int initFrame = 0;
        for (int i = 0; i < frames; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            if (i < initFrame)
            {
                trajectory[i] = VotRegion.Special(VotRegion.SkipCode);
                times[i] = double.NaN;
                frameDone?.Invoke();
                continue;
            }
            using var frame = readFrame(i);
            if (i == initFrame)
            {
                var box = InitBox(groundTruth[i]);
                if (!box.IsValid)
                    throw new ArgumentException($"frame {i}: the ground truth {groundTruth[i]} gives no valid init box ({box})");
                clock.Restart();
                tracker.Initialize(frame, box);
                times[i] = clock.Elapsed.TotalSeconds;
                trajectory[i] = VotRegion.Special(VotRegion.InitCode);
            }
            else
            {
                clock.Restart();
                var result = tracker.Track(frame);
                times[i] = clock.Elapsed.TotalSeconds;
                var b = result.Box;
                var pred = VotRegion.Rectangle(b.X, b.Y, b.Width, b.Height);
                float overlap = VotOverlap.Compute(pred, LoopGroundTruth(groundTruth[i]), frame.Width, frame.Height);
                if (overlap > 0)
                {
                    trajectory[i] = pred;
                }
                else
                {
                    trajectory[i] = VotRegion.Special(VotRegion.FailureCode);
                    initFrame = i + ReinitDelay;
                }
            }
            frameDone?.Invoke();
        }
        return new VotLoopResult(trajectory, times);
    }

    /// <summary>
    /// pysot's init box from a ground-truth region (<c>get_axis_aligned_bbox</c>, then
    /// <c>[cx - (w-1)/2, cy - (h-1)/2, w, h]</c>): centre = mean of the vertices; size = the min/max extent scaled by
    /// s = sqrt(A1 / A2) (A1 = product of the first two edge lengths, A2 = extent area) plus 1, so a rotated target
    /// keeps its area. A rectangle is returned as it is (what pysot's formula gives for it).
    /// </summary>
    public static BoxXywh InitBox(VotRegion region)
    {
        ArgumentNullException.ThrowIfNull(region);
        var v = region.Values;
        switch (region.Kind)
        {
            case VotRegionKind.Rectangle:
                return new BoxXywh(v[0], v[1], v[2], v[3]);
            case VotRegionKind.Polygon:
                int n = v.Count / 2;
                double cx = 0, cy = 0, x1 = double.PositiveInfinity, x2 = double.NegativeInfinity,
                    y1 = double.PositiveInfinity, y2 = double.NegativeInfinity;
                for (int k = 0; k < n; k++)
                {
                    double x = v[2 * k], y = v[2 * k + 1];
                    cx += x;
                    cy += y;
                    x1 = Math.Min(x1, x); x2 = Math.Max(x2, x);
                    y1 = Math.Min(y1, y); y2 = Math.Max(y2, y);
                }
                cx /= n;
                cy /= n;
                double a1 = Math.Sqrt(Sq(v[0] - v[2]) + Sq(v[1] - v[3])) * Math.Sqrt(Sq(v[2] - v[4]) + Sq(v[3] - v[5]));
                double a2 = (x2 - x1) * (y2 - y1);
                double s = Math.Sqrt(a1 / a2);
                double w = s * (x2 - x1) + 1, h = s * (y2 - y1) + 1;
                return new BoxXywh(cx - (w - 1) / 2, cy - (h - 1) / 2, w, h);
            default:
                throw new ArgumentException($"a VOT code ({region}) is not a ground-truth region");
        }

        static double Sq(double d) => d * d;
    }

    /// <summary>The ground truth the loop compares with: pysot turns <c>x,y,w,h</c> into an inclusive-pixel polygon.</summary>
    public static VotRegion LoopGroundTruth(VotRegion gt)
    {
        if (gt.Kind != VotRegionKind.Rectangle) return gt;
        var v = gt.Values;
        double x = v[0], y = v[1], w = v[2], h = v[3];
        return VotRegion.FromValues([x, y, x, y + h - 1, x + w - 1, y + h - 1, x + w - 1, y]);
    }

    /// <summary>One trajectory line as pysot writes it: a code with <c>%d</c>, a box with <c>%.4f</c> per value.</summary>
    public static string FormatRegion(VotRegion region) =>
        region.IsSpecial
            ? ((int)region.Values[0]).ToString(CultureInfo.InvariantCulture)
            : string.Join(",", region.Values.Select(x => x.ToString("F4", CultureInfo.InvariantCulture)));

    /// <summary>Writes a trajectory atomically (temporary file, then rename).</summary>
    public static void WriteTrajectory(string path, IReadOnlyList<VotRegion> trajectory)
    {
        var text = new StringBuilder();
        foreach (var region in trajectory) text.Append(FormatRegion(region)).Append('\n');
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(text.ToString()));
    }
}
