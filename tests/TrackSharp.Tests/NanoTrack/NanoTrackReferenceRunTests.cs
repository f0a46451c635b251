using System.Text.Json;
using OpenCvSharp;
using TrackSharp.Geometry;
using TrackSharp.Trackers.NanoTrack;
using Xunit;
using Xunit.Abstractions;

namespace TrackSharp.Tests.NanoTrack;

/// <summary>
/// Untouched runs (no teacher forcing) against the reference tracker's own runs:
/// golden/nanotrack/v*/results/{tennis,bag}.txt and golden/nanotrack/reference_runs (scores.json).
/// </summary>
public class NanoTrackReferenceRunTests(ITestOutputHelper output)
{
    public static TheoryData<NanoTrackVersion> Versions => NanoTrackModelTests.Versions;

    private static List<BoxXywh> Run(NanoTracker tracker, IReadOnlyList<string> frames, BoxXywh init, int count)
    {
        var boxes = new List<BoxXywh> { init };
        using (var first = Cv2.ImRead(frames[0])) tracker.Initialize(first, init);
        for (int i = 1; i < count; i++)
        {
            using var frame = Cv2.ImRead(frames[i]);
            boxes.Add(tracker.Track(frame).Box);
        }
        return boxes;
    }

    /// <summary>
    /// Bag: every frame within 0.01 px of the reference's own untouched run. Tennis: the same until the reference
    /// itself stood on a rounding boundary — the search side round(s_x) or the integer crop origin within
    /// 1e-3 px of .5 — where a 1e-4 px difference in state legitimately picks the other integer and the runs
    /// part (the reference's per-frame s_x and state are in tennis_teacher_forced.npz, recorded on that same
    /// untouched run).
    /// </summary>
    [Theory, MemberData(nameof(Versions))]
    public void FullRunsOnTennisAndBagFollowTheReference(NanoTrackVersion version)
    {
        using var golden = new NanoTrackGolden(version);
        var searchSide = golden.F64("track/s_x");
        var centerIn = golden.F64("track/state_in_center");
        foreach (var sequence in new[] { "tennis", "bag" })
        {
            var reference = ReferenceSequence.ReadBoxes(Path.Combine(NanoTrackGolden.Folder, version.Name(), "results", $"{sequence}.txt"));
            var frames = Directory.GetFiles(Path.Combine(NanoTrackGolden.Folder, "frames", sequence), "*.jpg").Order(StringComparer.Ordinal).ToList();
            Assert.Equal(frames.Count, reference.Count);
            using var tracker = golden.CreateTracker();
            var ours = Run(tracker, frames, reference[0], frames.Count);

            double worst = 0;
            int compared = ours.Count;
            for (int i = 1; i < ours.Count; i++)
            {
                var (a, b) = (ours[i], reference[i]);
                double d = new[] { a.X - b.X, a.Y - b.Y, a.Width - b.Width, a.Height - b.Height }.Max(Math.Abs);
                if (d > 0.01)
                {
                    Assert.True(sequence == "tennis", $"{version.Name()} {sequence} frame {i}: {a} vs reference {b}");
                    double margin = RoundingMargin(searchSide[i - 1], centerIn[2 * (i - 1)], centerIn[2 * (i - 1) + 1]);
                    output.WriteLine($"{version.Name()} {sequence}: parted at frame {i} ({d:F3} px), reference rounding margin {margin:E2} px");
                    Assert.True(margin < 1e-3, $"{version.Name()} {sequence} frame {i}: {a} vs reference {b}, not at a rounding boundary (margin {margin})");
                    compared = i;
                    break;
                }
                worst = Math.Max(worst, d);
            }
            output.WriteLine($"{version.Name()} {sequence}: frames 0..{compared - 1} within {worst:E3} px of the reference");
        }
    }

    private static double RoundingMargin(double searchSide, double centerX, double centerY)
    {
        static double ToHalf(double v) => Math.Abs(v - Math.Floor(v) - 0.5);
        static double ToInteger(double v) => Math.Abs(v - Math.Round(v));
        double side = Math.Round(searchSide, MidpointRounding.ToEven);
        double c = (side + 1) / 2;
        return new[] { ToHalf(searchSide), ToInteger(centerX - c + 0.5), ToInteger(centerY - c + 0.5) }.Min();
    }

    [Theory, MemberData(nameof(Versions))]
    public void SuccessAucOnEveryAnnotatedSequenceMatchesTheReferenceRuns(NanoTrackVersion version)
    {
        var scores = JsonDocument.Parse(File.ReadAllText(Path.Combine(NanoTrackGolden.Folder, "reference_runs", "scores.json")))
            .RootElement.GetProperty(version.Name());
        var expected = scores.GetProperty("sequences").EnumerateArray()
            .ToDictionary(s => s.GetProperty("seq").GetString()!, s => s.GetProperty("auc").GetDouble());
        using var golden = new NanoTrackGolden(version);
        var aucs = new List<double>();
        foreach (var sequence in ReferenceSequence.All)
        {
            var groundTruth = sequence.GroundTruth;
            var frames = sequence.Frames;
            int count = Math.Min(frames.Count, groundTruth.Count);
            using var tracker = golden.CreateTracker();
            var ours = Run(tracker, frames, groundTruth[0], count);
            double auc = ReferenceSequence.SuccessAuc(ours, groundTruth.Take(count).ToList());
            aucs.Add(auc);
            output.WriteLine($"{version.Name()} {sequence.Name}: AUC {auc:F4} (reference {expected[sequence.Name]:F4})");
            Assert.True(Math.Abs(auc - expected[sequence.Name]) <= 0.01,
                $"{version.Name()} {sequence.Name}: AUC {auc:F4} vs reference {expected[sequence.Name]:F4}");
        }
        double mean = aucs.Average(), expectedMean = scores.GetProperty("mean_auc").GetDouble();
        output.WriteLine($"{version.Name()} mean AUC {mean:F4} (reference {expectedMean:F4})");
        Assert.True(Math.Abs(mean - expectedMean) <= 0.005, $"mean AUC {mean:F4} vs {expectedMean:F4}");
    }
}
