using TrackSharp.Checkpoints;
using TrackSharp.Config;
using TrackSharp.Trackers.OSTrack;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.OSTrack;

/// <summary>The network shape read from OSTrack-layout configs (golden config.yaml and the family defaults), bad values
/// rejected naming the key, and the plain-ViT variant.</summary>
public class OSTrackModelConfigTests
{
    [Fact]
    public void GoldenConfigGivesTheSmallNetwork()
    {
        // golden/ostrack_small/README.md "Config": embed 64, depth 4, 4 heads, CE at [1, 2] keep 0.7, CTR_POINT,
        // template 128 / search 256, stride 16, CENTER head with 32 channels.
        var c = OSTrackGolden.ModelConfig();
        Assert.Equal((64, 4, 4, 4.0), (c.EmbedDim, c.Depth, c.NumHeads, c.MlpRatio));
        Assert.Equal([1, 2], c.CeLoc);
        Assert.Equal([0.7, 0.7], c.CeKeepRatio);
        Assert.Equal(CeTemplateRange.CtrPoint, c.CeTemplateRange);
        Assert.Equal((128, 256, 16, 32), (c.TemplateSize, c.SearchSize, c.Stride, c.HeadChannels));
        Assert.Equal((8, 16, 64, 256), (c.TemplateFeatSize, c.SearchFeatSize, c.TemplateTokens, c.SearchTokens));
        Assert.True(c.UsesCandidateElimination);
        Assert.Equal(0.1, c.DropPathRate);
    }

    [Fact]
    public void FamilyDefaultsAreViTBase()
    {
        var c = OSTrackModelConfig.FromExperiment(ConfigFamily.OSTrack.Load(null));
        Assert.Equal((768, 12, 12, 320, 256), (c.EmbedDim, c.Depth, c.NumHeads, c.SearchSize, c.HeadChannels));
        Assert.False(c.UsesCandidateElimination); // upstream default TYPE vit_base_patch16_224
        Assert.Equal(CeTemplateRange.All, c.CeTemplateRange);
    }

    [Theory]
    [InlineData("MODEL.BACKBONE.CE_TEMPLATE_RANGE=MIDDLE", "MODEL.BACKBONE.CE_TEMPLATE_RANGE")]
    [InlineData("MODEL.BACKBONE.CE_LOC=[1, 7]", "MODEL.BACKBONE.CE_LOC")]
    [InlineData("MODEL.BACKBONE.CE_KEEP_RATIO=[0.7]", "MODEL.BACKBONE.CE_KEEP_RATIO")]
    [InlineData("MODEL.HEAD.TYPE=CORNER", "MODEL.HEAD.TYPE")]
    [InlineData("MODEL.BACKBONE.NUM_HEADS=5", "MODEL.BACKBONE.NUM_HEADS")]
    [InlineData("MODEL.BACKBONE.STRIDE=24", "MODEL.BACKBONE.STRIDE")]
    public void BadOverridesNameTheKeyAndTheOverride(string overrideText, string key)
    {
        var error = Assert.Throws<ConfigException>(() =>
            OSTrackModelConfig.FromExperiment(ConfigFamily.OSTrack.Load(OSTrackGolden.ConfigPath, [overrideText])));
        Assert.Contains(key, error.Message);
        Assert.Contains(overrideText, error.Message);
    }

    [Fact]
    public void BadFileValueNamesTheFileAndLine()
    {
        string dir = Directory.CreateTempSubdirectory("ostrack_cfg").FullName;
        try
        {
            string path = Path.Combine(dir, "bad.yaml");
            File.WriteAllText(path, File.ReadAllText(OSTrackGolden.ConfigPath).Replace("'CTR_POINT'", "'MIDDLE'"));
            var error = Assert.Throws<ConfigException>(() => OSTrackModelConfig.FromExperiment(ConfigFamily.OSTrack.Load(path)));
            Assert.Contains("bad.yaml", error.Message);
            Assert.Contains("MODEL.BACKBONE.CE_TEMPLATE_RANGE", error.Message);
            Assert.Contains("MIDDLE", error.Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void PlainViTMatchesTheGoldenForwardWithoutElimination()
    {
        // vit_base_patch16_224 has the same parameter names; without CE it computes what the CE model computes with
        // keep rate 1 (forward_b2.npz eval_keep1).
        var config = OSTrackModelConfig.FromExperiment(
            ConfigFamily.OSTrack.Load(OSTrackGolden.ConfigPath, ["MODEL.BACKBONE.TYPE=vit_base_patch16_224"]));
        Assert.False(config.UsesCandidateElimination);
        using var model = OSTrackCheckpoints.LoadModel(OSTrackGolden.WeightsPath, config);
        using var g = Npz.Load(OSTrackGolden.File("forward_b2.npz"));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var output = model.Forward(g.Tensor("in/template"), g.Tensor("in/search"), g.Tensor("in/ce_template_mask"));
        Assert.All(output.RemovedIndexes, Assert.Null);
        foreach (var (key, ours) in new[]
                 {
                     ("backbone_feat", output.BackboneFeat), ("score_map", output.ScoreMap), ("size_map", output.SizeMap),
                     ("offset_map", output.OffsetMap), ("pred_boxes", output.PredBoxes),
                 })
        {
            var expected = g["eval_keep1/" + key].ToFloatArray();
            var actual = ours.contiguous().data<float>().ToArray();
            double worst = expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second));
            Assert.True(worst <= 1e-4, $"forward_b2.npz/eval_keep1/{key}: max abs error {worst:E3}");
        }
    }
}
