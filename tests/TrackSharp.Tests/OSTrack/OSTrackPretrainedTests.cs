using TrackSharp.Checkpoints;
using TrackSharp.Trackers.OSTrack;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.OSTrack;

/// <summary>
/// MAE-pretrained ViT weights into the backbone (the {'model': ...} layout of mae_pretrain_vit_base.pth, built here as
/// a small synthetic state dict) and finetune_track's bicubic position-table interpolation.
/// </summary>
public class OSTrackPretrainedTests
{
    private static OSTrackModelConfig Small(int templateSize = 128, int searchSize = 256, int stride = 16) => new()
    {
        EmbedDim = 32, Depth = 2, NumHeads = 2, MlpRatio = 2.0, HeadChannels = 16, CeLoc = [1], CeKeepRatio = [0.7],
        TemplateSize = templateSize, SearchSize = searchSize, Stride = stride,
    };

    /// <summary>A state dict with MAE's encoder names for a [C=32, depth 2] ViT on 224/16, plus decoder/mask keys MAE
    /// checkpoints carry and OSTrack's backbone has no place for.</summary>
    private static StateDict MaeLayout(int dim = 32, int depth = 2, int hidden = 64)
    {
        var sd = new StateDict("synthetic_mae.pth");
        sd.Add("cls_token", randn(1, 1, dim));
        sd.Add("pos_embed", randn(1, 197, dim));
        sd.Add("patch_embed.proj.weight", randn(dim, 3, 16, 16));
        sd.Add("patch_embed.proj.bias", randn(dim));
        for (int i = 0; i < depth; i++)
        {
            string p = $"blocks.{i}.";
            sd.Add(p + "norm1.weight", randn(dim)); sd.Add(p + "norm1.bias", randn(dim));
            sd.Add(p + "attn.qkv.weight", randn(3 * dim, dim)); sd.Add(p + "attn.qkv.bias", randn(3 * dim));
            sd.Add(p + "attn.proj.weight", randn(dim, dim)); sd.Add(p + "attn.proj.bias", randn(dim));
            sd.Add(p + "norm2.weight", randn(dim)); sd.Add(p + "norm2.bias", randn(dim));
            sd.Add(p + "mlp.fc1.weight", randn(hidden, dim)); sd.Add(p + "mlp.fc1.bias", randn(hidden));
            sd.Add(p + "mlp.fc2.weight", randn(dim, hidden)); sd.Add(p + "mlp.fc2.bias", randn(dim));
        }
        sd.Add("norm.weight", randn(dim));
        sd.Add("norm.bias", randn(dim));
        sd.Add("mask_token", randn(1, 1, dim));
        sd.Add("decoder_embed.weight", randn(16, dim));
        return sd;
    }

    [Fact]
    public void MaeWeightsLoadIntoTheBackboneWithInterpolatedGrids()
    {
        using var mae = MaeLayout();
        using var model = new OSTrackModel(Small());
        var report = OSTrackCheckpoints.LoadMaePretrained(model, mae);

        Assert.Equal(["decoder_embed.weight", "mask_token"], report.Unexpected.Select(k => k.Replace("backbone.", "")).Order());
        Assert.All(report.Missing, k => Assert.StartsWith("box_head.", k));
        Assert.Contains("backbone.pos_embed_z", report.Matched);
        Assert.Empty(report.ShapeMismatched);
        var sd = model.state_dict();
        Assert.Equal(mae["blocks.1.mlp.fc2.weight"].data<float>().ToArray(), sd["backbone.blocks.1.mlp.fc2.weight"].data<float>().ToArray());
        Assert.Equal([1L, 64, 32], sd["backbone.pos_embed_z"].shape);
        Assert.Equal([1L, 256, 32], sd["backbone.pos_embed_x"].shape);
    }

    [Fact]
    public void IdentitySizeInterpolationIsExact()
    {
        // A 224 template on stride 16 is the pretrained 14x14 grid itself: bicubic at scale 1 must copy it.
        using var mae = MaeLayout();
        using var model = new OSTrackModel(Small(templateSize: 224, searchSize: 224));
        OSTrackCheckpoints.LoadMaePretrained(model, mae);
        var sd = model.state_dict();
        var expected = mae["pos_embed"][.., 1.., ..].contiguous().data<float>().ToArray();
        Assert.Equal(expected, sd["backbone.pos_embed_z"].contiguous().data<float>().ToArray());
        Assert.Equal(expected, sd["backbone.pos_embed_x"].contiguous().data<float>().ToArray());
    }

    [Fact]
    public void InterpolationReproducesTheGoldenTemplateAndSearchTables()
    {
        // weights.npz: pos_embed_z / pos_embed_x were made by finetune_track from pos_embed (README §1-2).
        using var g = Npz.Load(OSTrackGolden.File("weights.npz"));
        using var table = g.Tensor("backbone.pos_embed");
        using var z = PositionEmbedding.Interpolate(table, 1, 14, 14, 8, 8);
        using var x = PositionEmbedding.Interpolate(table, 1, 14, 14, 16, 16);
        AssertClose(g["backbone.pos_embed_z"].ToFloatArray(), z.data<float>().ToArray(), 1e-6, "pos_embed_z");
        AssertClose(g["backbone.pos_embed_x"].ToFloatArray(), x.data<float>().ToArray(), 1e-6, "pos_embed_x");
    }

    [Fact]
    public void ADifferentStrideResizesThePatchKernel()
    {
        using var mae = MaeLayout();
        using var model = new OSTrackModel(Small(templateSize: 64, searchSize: 128, stride: 8));
        var report = OSTrackCheckpoints.LoadMaePretrained(model, mae);
        Assert.Contains("backbone.patch_embed.proj.weight", report.Matched);
        Assert.Equal([32L, 3, 8, 8], model.state_dict()["backbone.patch_embed.proj.weight"].shape);
    }

    [Fact]
    public void WithoutAPositionTableTheGridsAreReportedMissing()
    {
        using var mae = MaeLayout();
        mae.DropPrefix("pos_embed");
        using var model = new OSTrackModel(Small());
        var report = OSTrackCheckpoints.LoadMaePretrained(model, mae);
        Assert.Contains("backbone.pos_embed_z", report.Missing);
        Assert.Contains("backbone.pos_embed", report.Missing);
    }

    private static void AssertClose(float[] expected, float[] actual, double tol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(worst <= tol, $"{what}: max abs error {worst:E3}");
    }
}
