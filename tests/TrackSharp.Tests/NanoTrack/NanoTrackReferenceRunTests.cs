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

    [Theory, MemberData(nameof(Versions))]
    public void FullRunsOnTennisAndBagFollowTheReference(NanoTrackVersion version)
    {
        using var golden = new NanoTrackGolden(version);
        foreach (var sequence in new[] { "tennis", "bag" })
        {
            var reference = ReferenceSequence.ReadBoxes(Path.Combine(NanoTrackGolden.Folder, version.Name(), "results", $"{sequence}.txt"));
            var frames = Directory.GetFiles(Path.Combine(NanoTrackGolden.Folder, "frames", sequence), "*.jpg").Order(StringComparer.Ordinal).ToList();
            Assert.Equal(frames.Count, reference.Count);
            using var tracker = golden.CreateTracker();
            var ours = Run(tracker, frames, reference[0], frames.Count);

            double worst = 0, minIoU = 1;
            for (int i = 0; i < ours.Count; i++)
            {
                var (a, b) = (ours[i], reference[i]);
                worst = Math.Max(worst, new[] { a.X - b.X, a.Y - b.Y, a.Width - b.Width, a.Height - b.Height }.Max(Math.Abs));
                minIoU = Math.Min(minIoU, a.IoU(b));
            }
            output.WriteLine($"{version.Name()} {sequence}: worst coordinate difference {worst:E3} px, min IoU {minIoU:F6}");
            // The reference files are written with 4 decimals; an argmax flip would show as a jump, not noise.
            Assert.True(worst < 0.01, $"{version.Name()} {sequence}: worst coordinate difference {worst} px");
        }
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
