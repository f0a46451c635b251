using System.Text.Json;
using TrackSharp.Trackers.SiamFCpp;
using TrackSharp.Trackers.SiamFCpp.Training;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.SiamFCpp.Training;

/// <summary>
/// The DynamicFreezer schedule of the golden config (meta.json lr_schedule.freezer_schedule, read here as the
/// rules) against meta.json lr_schedule.frozen_params_per_epoch for epochs 0..19 on the golden model's parameter
/// names; and what freezing does to a parameter that had a gradient (no gradient, no update).
/// </summary>
public class DynamicFreezerTests
{
    private static JsonElement LrMeta()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(SiamFCppForwardFixture.Folder, "meta.json")));
        return doc.RootElement.GetProperty("lr_schedule").Clone();
    }

    private static DynamicFreezer GoldenFreezer() => new(LrMeta().GetProperty("freezer_schedule").EnumerateArray()
        .Select(r => new FreezeRule(r.GetProperty("name").GetString()!, r.GetProperty("regex").GetString()!,
            r.GetProperty("epoch").GetInt32(), r.GetProperty("freezed").GetBoolean())));

    [Fact]
    public void FrozenParametersPerEpochMatchTheReference()
    {
        var expected = LrMeta().GetProperty("frozen_params_per_epoch");
        using var model = new SiamFCppModel(SiamFCppModelConfig.Small);
        var names = model.named_parameters().Select(p => p.name).ToArray();
        var freezer = GoldenFreezer();
        for (int epoch = 0; epoch < 20; epoch++)
        {
            var want = expected.GetProperty(epoch.ToString()).EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(want, freezer.FrozenAt(epoch, names).Order(StringComparer.Ordinal).ToArray());
            // Applied to the model epoch after epoch (state carried over), the same names end up frozen.
            var applied = freezer.Apply(model, epoch);
            Assert.Equal(want, applied.Order(StringComparer.Ordinal).ToArray());
            Assert.Equal(want, model.named_parameters().Where(p => !p.parameter.requires_grad).Select(p => p.name)
                .Order(StringComparer.Ordinal).ToArray());
        }
    }

    [Fact]
    public void RulesApplyInOrderAndAnUnmatchedParameterKeepsItsState()
    {
        var freezer = new DynamicFreezer([new FreezeRule("all", "conv", 0, true), new FreezeRule("late", "conv5", 3, false)]);
        Assert.False(freezer.RequiresGrad("basemodel.conv5.conv.weight", 2, current: true));
        Assert.True(freezer.RequiresGrad("basemodel.conv5.conv.weight", 3, current: false));
        Assert.False(freezer.RequiresGrad("basemodel.conv1.conv.weight", 7, current: true));
        Assert.False(freezer.RequiresGrad("head.bi", 0, current: false));
        Assert.True(freezer.RequiresGrad("head.bi", 0, current: true));
    }

    /// <summary>A parameter frozen after it had a gradient loses it, so an SGD step with momentum and weight decay
    /// leaves it unchanged (TorchSharp's zero_grad zeroes a gradient instead of dropping it).</summary>
    [Fact]
    public void FreezingDropsTheGradientSoSgdLeavesTheParameterAlone()
    {
        using var layer = nn.Linear(3, 2);
        using var x = ones(4, 3);
        layer.forward(x).sum().backward();
        var weight = layer.named_parameters().Single(p => p.name == "weight").parameter;
        Assert.NotNull(weight.grad);
        var before = weight.detach().clone();
        var freezer = new DynamicFreezer([new FreezeRule("w", "^weight$", 0, true)]);
        Assert.Equal(["weight"], freezer.Apply(layer, 0));
        Assert.Null(weight.grad);
        using var sgd = optim.SGD(layer.parameters(), 0.1, momentum: 0.9, weight_decay: 0.1);
        sgd.zero_grad();
        layer.forward(x).sum().backward();
        sgd.step();
        Assert.Null(weight.grad);
        Assert.True(weight.detach().eq(before).all().item<bool>());
    }
}
