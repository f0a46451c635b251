using TrackSharp.Trackers.OSTrack;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.OSTrack;

/// <summary>The training forward differentiates: every parameter the forward uses gets a gradient; the pretrained
/// table <c>pos_embed</c> and <c>cls_token</c> (kept for checkpoints, unused) get none (README trap 28).</summary>
public class OSTrackTrainModeTests
{
    [Fact]
    public void BackwardReachesEveryUsedParameterAndNotTheUnusedTables()
    {
        using var model = new OSTrackModel(OSTrackGolden.ModelConfig());
        // Drop-path draws from a private generator: other test classes reseed and draw from the global one in parallel,
        // and a draw that drops a branch for the whole batch would leave its parameters without gradient.
        using var draws = new Generator(3);
        foreach (var block in model.Backbone.Blocks)
            if (block.DropPath is { } dp) dp.Generator = draws;
        model.train();
        using var scope = NewDisposeScope();
        manual_seed(3);
        var template = randn(2, 3, 128, 128);
        var search = randn(2, 3, 256, 256);
        var mask = CeTemplateMask.Create(model.Config, 2);
        var output = model.Forward(template, search, mask, ceKeepRate: 0.85);
        var loss = output.PredBoxes.sum() + output.ScoreMap.mean() + output.SizeMap.mean() + output.OffsetMap.mean();
        loss.backward();
        foreach (var (name, p) in model.named_parameters())
        {
            bool unused = name is "backbone.pos_embed" or "backbone.cls_token";
            bool hasGrad = p.grad is not null && p.grad.abs().sum().item<float>() > 0;
            Assert.True(unused ? p.grad is null : hasGrad, $"{name}: gradient {(p.grad is null ? "absent" : "present")}");
        }
    }
}
