using OpenCvSharp;
using TrackSharp.Geometry;
using TrackSharp.Trackers.NanoTrack;
using Xunit;

namespace TrackSharp.Tests.NanoTrack;

/// <summary>
/// The whole tracker, teacher-forced on golden/nanotrack/v*/tennis_teacher_forced.npz: before each frame the
/// state is set to the reference's (track/state_in_*), so each frame is compared on its own.
/// </summary>
public class NanoTrackTeacherForcedTests
{
    public static TheoryData<NanoTrackVersion> Versions => NanoTrackModelTests.Versions;

    [Theory, MemberData(nameof(Versions))]
    public void TemplateCropIsPixelExact(NanoTrackVersion version)
    {
        using var golden = new NanoTrackGolden(version);
        using var tracker = golden.CreateTracker();
        using var frame0 = Cv2.ImRead(NanoTrackGolden.FramePath("tennis", 0));
        var box = golden.F64("template/init_box_xywh");
        tracker.Initialize(frame0, new BoxXywh(box[0], box[1], box[2], box[3]));

        Assert.Equal(golden.F64("template/center_pos"), new[] { tracker.Center.X, tracker.Center.Y });
        Assert.Equal(golden.I64("template/s_z")[0], tracker.LastStep.TemplateSide);
        var w = tracker.LastStep.TemplateWindow;
        Assert.Equal(golden.I64("template/crop_xyxy"), new[] { w.XMin, w.YMin, w.XMax, w.YMax });
        Assert.Equal(golden.I64("template/pads_tblr"), new long[] { w.PadTop, w.PadBottom, w.PadLeft, w.PadRight });
        Assert.Equal(golden.F64("template/channel_average"), ContextCrop.ChannelMean(frame0));
        Assert.Equal(golden.U8("template/z_crop_hwc_bgr"), NanoTrackGolden.Bytes(tracker.TemplateCrop));
    }

    [Theory, MemberData(nameof(Versions))]
    public void EveryTrackedFrameMatchesTheReference(NanoTrackVersion version)
    {
        using var golden = new NanoTrackGolden(version);
        using var tracker = golden.CreateTracker();
        using (var frame0 = Cv2.ImRead(NanoTrackGolden.FramePath("tennis", 0)))
        {
            var box = golden.F64("template/init_box_xywh");
            tracker.Initialize(frame0, new BoxXywh(box[0], box[1], box[2], box[3]));
        }
        var frames = golden.I64("track/frame_index");
        var centerIn = golden.F64("track/state_in_center");
        var sizeIn = golden.F64("track/state_in_size");
        var cropXyxy = golden.I64("track/crop_xyxy");
        var pads = golden.I64("track/pads_tblr");
        var cropSide = golden.I64("track/crop_sz");
        var scaleZ = golden.F64("track/scale_z");
        var cropSha = golden.Meta.GetProperty("teacher_forced").GetProperty("x_crop_sha256").EnumerateArray()
            .Select(e => e.GetString()).ToArray();
        var cls = golden.F32("track/cls");
        var loc = golden.F32("track/loc");
        var score = golden.F32("track/score");
        var penalty = golden.F32("track/penalty");
        var pscore = golden.F64("track/pscore");
        var bestIdx = golden.I64("track/best_idx");
        var bestScore = golden.F32("track/best_score");
        var outBox = golden.F64("track/out_bbox_xywh");
        int n = tracker.Config.ScoreSize * tracker.Config.ScoreSize;
        double worstBox = 0;

        for (int j = 0; j < frames.Length; j++)
        {
            using var frame = Cv2.ImRead(NanoTrackGolden.FramePath("tennis", frames[j]));
            tracker.Center = (centerIn[2 * j], centerIn[2 * j + 1]);
            tracker.Size = (sizeIn[2 * j], sizeIn[2 * j + 1]);
            var result = tracker.Track(frame);
            var step = tracker.LastStep;
            string at = $"{version.Name()} frame {frames[j]}";

            Assert.Equal(cropSide[j], step.SearchSide);
            Assert.Equal(scaleZ[j], step.ScaleZ);
            var w = step.SearchWindow;
            Assert.Equal(cropXyxy[(4 * j)..(4 * j + 4)], new[] { w.XMin, w.YMin, w.XMax, w.YMax });
            Assert.Equal(pads[(4 * j)..(4 * j + 4)], new long[] { w.PadTop, w.PadBottom, w.PadLeft, w.PadRight });
            Assert.True(cropSha[j] == NanoTrackGolden.Sha256(tracker.SearchCrop), $"{at}: search crop differs");

            var maps = tracker.LastMaps();
            Tolerance.AssertClose(cls[(j * 2 * n)..((j + 1) * 2 * n)], maps.Cls, 1e-4, $"{at} cls");
            Tolerance.AssertClose(loc[(j * 4 * n)..((j + 1) * 4 * n)], maps.Loc, 1e-4, $"{at} loc");
            Tolerance.AssertClose(score[(j * n)..((j + 1) * n)], maps.Score, 1e-4, $"{at} score");
            Tolerance.AssertClose(penalty[(j * n)..((j + 1) * n)], maps.Penalty, 1e-4, $"{at} penalty");
            Tolerance.AssertClose(pscore[(j * n)..((j + 1) * n)], maps.Blended, 1e-4, $"{at} pscore");
            Assert.True(bestIdx[j] == step.BestIndex, $"{at}: best index {step.BestIndex} vs {bestIdx[j]}");
            Assert.InRange(Math.Abs(result.Score - bestScore[j]), 0, 1e-4);

            var box = new[] { result.Box.X, result.Box.Y, result.Box.Width, result.Box.Height };
            for (int q = 0; q < 4; q++) worstBox = Math.Max(worstBox, Math.Abs(box[q] - outBox[4 * j + q]));
        }
        Assert.True(worstBox <= 0.01, $"{version.Name()}: worst box coordinate error {worstBox} px > 0.01 px");
    }
}
