using TrackSharp.Tracking;
using TrackSharp.Trackers.NanoTrack;
using Xunit;

namespace TrackSharp.Tests.NanoTrack;

/// <summary>
/// Post-processing alone, fed with the reference's own network outputs (track/cls, track/loc) and state, so any
/// difference is in the decoding, penalty, window, selection and smoothing, not in the network.
/// </summary>
public class NanoTrackScoringTests
{
    public static TheoryData<NanoTrackVersion> Versions => NanoTrackModelTests.Versions;

    [Theory, MemberData(nameof(Versions))]
    public void PointsAndWindowEqualTheReference(NanoTrackVersion version)
    {
        using var golden = new NanoTrackGolden(version);
        var config = NanoTrackConfig.For(version);
        Assert.Equal(golden.F32("points"), BanScoring.Points(config.ScoreSize, config.Stride));
        Tolerance.AssertClose(golden.F64("window"), BanScoring.CosineWindow(config.ScoreSize), 1e-15, "window");
    }

    [Theory, MemberData(nameof(Versions))]
    public void DecodingPenaltyAndSelectionReproduceTheReference(NanoTrackVersion version)
    {
        using var golden = new NanoTrackGolden(version);
        var config = NanoTrackConfig.For(version);
        int n = config.ScoreSize * config.ScoreSize, frames = golden.I64("track/frame_index").Length;
        var points = BanScoring.Points(config.ScoreSize, config.Stride);
        var window = BanScoring.CosineWindow(config.ScoreSize);
        var cls = golden.F32("track/cls");
        var loc = golden.F32("track/loc");
        var sizeIn = golden.F64("track/state_in_size");
        var scaleZ = golden.F64("track/scale_z");
        var expectedScore = golden.F32("track/score");
        var expectedBoxes = golden.F32("track/pred_bbox");
        var expectedPenalty = golden.F32("track/penalty");
        var expectedPscore = golden.F64("track/pscore");
        var expectedBest = golden.I64("track/best_idx");
        var expectedLr = golden.F64("track/lr");

        var score = new float[n];
        var boxes = new float[4 * n];
        var penalty = new float[n];
        var blended = new double[n];
        for (int j = 0; j < frames; j++)
        {
            BanScoring.ConvertScore(cls.AsSpan(j * 2 * n, 2 * n), 2, score);
            BanScoring.ConvertBoxes(loc.AsSpan(j * 4 * n, 4 * n), points, boxes);
            BanScoring.Penalty(boxes, sizeIn[2 * j], sizeIn[2 * j + 1], scaleZ[j], config.PenaltyK, penalty);
            int best = BanScoring.BlendAndSelect(penalty, score, window, config.WindowInfluence, blended);

            Tolerance.AssertClose(expectedScore[(j * n)..((j + 1) * n)], score, 1e-6, $"score[{j}]");
            // Box decoding is exact float32 arithmetic: bit-identical.
            Assert.Equal(expectedBoxes[(j * 4 * n)..((j + 1) * 4 * n)], boxes);
            Tolerance.AssertClose(expectedPenalty[(j * n)..((j + 1) * n)], penalty, 1e-6, $"penalty[{j}]");
            Tolerance.AssertClose(expectedPscore[(j * n)..((j + 1) * n)], blended, 1e-6, $"pscore[{j}]");
            Assert.Equal(expectedBest[j], best);
            double lr = (double)(penalty[best] * score[best]) * config.LearningRate;
            Assert.InRange(Math.Abs(lr - expectedLr[j]), 0, 1e-6);
        }
    }
}
