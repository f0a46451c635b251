using TrackSharp.Checkpoints;
using TrackSharp.Detection;
using TrackSharp.Detection.Fcos;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.Detection;

/// <summary>Runs <see cref="FcosPostProcessor"/> once on golden/fcos_small/postprocess.npz's synthetic head outputs.</summary>
public sealed class FcosPostProcessFixture : IDisposable
{
    public static readonly (int Height, int Width)[] ImageSizes = { (210, 300), (224, 320) };

    public Npz Golden { get; }
    public IReadOnlyList<FcosImageResult> Results { get; }

    public FcosPostProcessFixture()
    {
        Golden = Npz.Load(FcosGolden.File("postprocess.npz"));
        using var scope = NewDisposeScope();
        var loc = new List<Tensor>(); var cls = new List<Tensor>(); var reg = new List<Tensor>(); var ctr = new List<Tensor>();
        for (int l = 3; l <= 7; l++)
        {
            loc.Add(Golden.Tensor($"in/locations/P{l}"));
            cls.Add(Golden.Tensor($"in/box_cls/P{l}"));
            reg.Add(Golden.Tensor($"in/box_regression/P{l}"));
            ctr.Add(Golden.Tensor($"in/centerness/P{l}"));
        }
        // meta.json["postprocess"]: pre_nms_thresh 0.05, pre_nms_top_n 1000, nms_thresh 0.6, fpn_post_nms_top_n 100, min_size 0
        var pp = new FcosPostProcessor(new FcosPostProcessorOptions
        {
            PreNmsThreshold = 0.05f, PreNmsTopN = 1000, NmsThreshold = 0.6, DetectionsPerImage = 100, MinSize = 0,
        });
        Results = pp.Process(loc, cls, reg, ctr, ImageSizes);
    }

    public void Dispose() => Golden.Dispose();
}

/// <summary>
/// Parity of the FCOS post-processing with golden/fcos_small/postprocess.npz, bit-exact. Within a level the
/// reference's <c>topk(sorted=False)</c> order is unspecified, so level/pre_nms/after_nms/final are compared as sets;
/// the NMS and the kthvalue cut are additionally checked in order, fed with the golden's own inputs.
/// </summary>
public class FcosPostProcessorTests : IClassFixture<FcosPostProcessFixture>
{
    private readonly FcosPostProcessFixture _f;
    public FcosPostProcessorTests(FcosPostProcessFixture f) => _f = f;

    public static TheoryData<int, int> LevelsAndImages()
    {
        var d = new TheoryData<int, int>();
        for (int l = 3; l <= 7; l++) for (int i = 0; i < 2; i++) d.Add(l, i);
        return d;
    }

    [Theory]
    [MemberData(nameof(LevelsAndImages))]
    public void Level_detections_match_postprocess_npz(int level, int img)
    {
        string key = $"level/P{level}/img{img}";
        FcosGolden.AssertSameAsSets(FcosGolden.Read(_f.Golden, key), _f.Results[img].PerLevel[level - 3], $"postprocess.npz {key}");
    }

    [Theory]
    [InlineData("pre_nms", 0)] [InlineData("pre_nms", 1)]
    [InlineData("after_nms", 0)] [InlineData("after_nms", 1)]
    [InlineData("final", 0)] [InlineData("final", 1)]
    public void Stage_detections_match_postprocess_npz(string stage, int img)
    {
        string key = $"{stage}/img{img}";
        var r = _f.Results[img];
        var ours = stage switch { "pre_nms" => r.PreNms, "after_nms" => r.AfterNms, _ => r.Final };
        FcosGolden.AssertSameAsSets(FcosGolden.Read(_f.Golden, key), ours, $"postprocess.npz {key}");
    }

    [Theory]
    [InlineData(0)] [InlineData(1)]
    public void Nms_on_golden_pre_nms_gives_golden_after_nms_in_order(int img)
    {
        var pre = FcosGolden.Read(_f.Golden, $"pre_nms/img{img}");
        var ours = BoxListOps.MultiLabelNms(pre, 0.6);
        FcosGolden.AssertSameInOrder(FcosGolden.Read(_f.Golden, $"after_nms/img{img}"), ours,
            $"postprocess.npz after_nms/img{img} from pre_nms/img{img}");
    }

    [Theory]
    [InlineData(0)] [InlineData(1)]
    public void Kthvalue_cut_on_golden_after_nms_gives_golden_final_in_order(int img)
    {
        var after = FcosGolden.Read(_f.Golden, $"after_nms/img{img}");
        var ours = BoxListOps.KeepTopByKthValue(after, 100);
        FcosGolden.AssertSameInOrder(FcosGolden.Read(_f.Golden, $"final/img{img}"), ours,
            $"postprocess.npz final/img{img} from after_nms/img{img}");
    }

    [Fact]
    public void Ml_nms_hand_case_uses_plus_one_areas_strict_threshold_and_labels()
    {
        // Boxes 0..9 and 0..9 shifted by 2 in x: +1 widths 10, inter 8*10 = 80, union 120, IoU 2/3.
        var a = new DetectedBox(0, 0, 9, 9, 0.9f, 1);
        var b = new DetectedBox(2, 0, 11, 9, 0.8f, 1);
        var c = new DetectedBox(2, 0, 11, 9, 0.95f, 2); // other label: never suppressed by label 1
        Assert.Equal(new[] { a, c }, BoxListOps.MultiLabelNms(new[] { a, b, c }, 0.6));
        Assert.Equal(new[] { a, b, c }, BoxListOps.MultiLabelNms(new[] { a, b, c }, 0.7));
        // kthvalue cut keeps ties: threshold = 2nd smallest of {0.1, 0.5, 0.5} = 0.5 -> keeps both 0.5s
        var s = new[] { a with { Score = 0.5f }, a with { Score = 0.1f }, b with { Score = 0.5f } };
        Assert.Equal(new[] { s[0], s[2] }, BoxListOps.KeepTopByKthValue(s, 1));
    }
}
