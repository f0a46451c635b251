using System.Reflection;
using TorchSharp;
using TorchSharp.Modules;
using TrackSharp.Training.Engine;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.Training;

/// <summary>A tiny model, optimizers with two parameter groups, deterministic data and exact comparisons for the
/// checkpoint and loop tests.</summary>
internal static class TinyTraining
{
    /// <summary>Linear → BatchNorm (buffers) → ReLU → Linear, initialised from <paramref name="seed"/>.</summary>
    /// <remarks>The Linear layers are drawn again from a generator of their own, with nn.Linear's default distribution
    /// (uniform within ±1/sqrt(in_features)). Seeding the process-wide generator instead (<c>manual_seed</c>) let tests
    /// running in parallel draw from it between the seed and the layers, so two models of one seed could differ.</remarks>
    public static nn.Module<Tensor, Tensor> Model(int seed)
    {
        var model = nn.Sequential(("fc1", nn.Linear(4, 8)), ("bn", nn.BatchNorm1d(8)), ("relu", nn.ReLU()), ("fc2", nn.Linear(8, 2)));
        var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (name, p) in model.named_parameters().Where(p => p.name.StartsWith("fc", StringComparison.Ordinal)))
        {
            using var scope = NewDisposeScope();
            long fanIn = name.StartsWith("fc1.", StringComparison.Ordinal) ? 4 : 8;
            double bound = 1 / Math.Sqrt(fanIn);
            p.copy_(torch.rand(p.shape, generator: generator) * (2 * bound) - bound);
        }
        return model;
    }

    private static (Parameter[] First, Parameter[] Others) Groups(nn.Module model)
    {
        var named = model.named_parameters().ToList();
        return (named.Where(p => p.name.StartsWith("fc1.", StringComparison.Ordinal)).Select(p => p.parameter).ToArray(),
                named.Where(p => !p.name.StartsWith("fc1.", StringComparison.Ordinal)).Select(p => p.parameter).ToArray());
    }

    /// <summary>SGD with momentum 0.9 and weight decay, two groups (fc1 at a tenth of the lr, like a backbone).</summary>
    public static optim.Optimizer Sgd(nn.Module model)
    {
        var (first, rest) = Groups(model);
        return torch.optim.SGD(new[]
        {
            new SGD.ParamGroup(first, lr: 0.01, momentum: 0.9, weight_decay: 5e-5),
            new SGD.ParamGroup(rest, lr: 0.1, momentum: 0.9, weight_decay: 5e-5),
        }, learningRate: 0.1, momentum: 0.9);
    }

    /// <summary>AdamW, two groups with different lr and weight decay.</summary>
    public static optim.Optimizer AdamW(nn.Module model)
    {
        var (first, rest) = Groups(model);
        return torch.optim.AdamW(new[]
        {
            new AdamW.ParamGroup(first, lr: 1e-3, weight_decay: 0.05),
            new AdamW.ParamGroup(rest, lr: 3e-3, weight_decay: 0.0),
        });
    }

    /// <summary>The batch for a global step: 16 × 4 inputs and 16 × 2 targets, a function of the step only.</summary>
    public static (Tensor X, Tensor Y) Batch(long step)
    {
        var grid = torch.arange(0, 64, dtype: ScalarType.Float32).reshape(16, 4);
        var x = torch.sin(grid * 0.37f + step * 0.11f);
        var y = torch.cos(x[.., ..2] * 1.7f) - x[.., 2..] * 0.5f;
        return (x, y);
    }

    /// <summary>One plain training step (the reference for what the loop does).</summary>
    public static void Step(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, long step)
    {
        using var scope = torch.NewDisposeScope();
        var (x, y) = Batch(step);
        optimizer.zero_grad();
        var loss = nn.functional.mse_loss(model.call(x), y);
        loss.backward();
        optimizer.step();
    }

    /// <summary>Every parameter and buffer equal bit for bit.</summary>
    public static void AssertSameState(nn.Module expected, nn.Module actual)
    {
        var a = expected.state_dict();
        var b = actual.state_dict();
        Assert.Equal(a.Keys, b.Keys);
        foreach (var key in a.Keys)
            Assert.True(a[key].bytes.SequenceEqual(b[key].bytes), $"'{key}' differs");
    }

    /// <summary>Optimizer param-group options and per-parameter state (momentum / Adam buffers, step counts)
    /// equal bit for bit.</summary>
    public static void AssertSameOptimizer(optim.Optimizer expected, optim.Optimizer actual)
    {
        var a = ((OptimizerHelper)expected).state_dict();
        var b = ((OptimizerHelper)actual).state_dict();
        Assert.Equal(a.Options.Count, b.Options.Count);
        for (int i = 0; i < a.Options.Count; i++)
            AssertSameMembers(a.Options[i], b.Options[i], $"param group {i}");
        Assert.Equal(a.State.Count, b.State.Count);
        int tensors = 0;
        for (int i = 0; i < a.State.Count; i++)
            tensors += AssertSameMembers(a.State[i], b.State[i], $"state {i}");
        Assert.True(tensors >= a.State.Count, "the optimizer state holds no buffers to compare");
    }

    private static int AssertSameMembers(object a, object b, string what)
    {
        Assert.Equal(a.GetType(), b.GetType());
        int tensors = 0;
        foreach (var f in a.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            var (va, vb) = (f.GetValue(a), f.GetValue(b));
            if (va is Tensor ta)
            {
                Assert.True(vb is Tensor, $"{what}.{f.Name}: missing after load");
                Assert.True(ta.bytes.SequenceEqual(((Tensor)vb!).bytes), $"{what}.{f.Name} differs");
                tensors++;
            }
            else
                Assert.True(Equals(va, vb), $"{what}.{f.Name}: {va} vs {vb}");
        }
        return tensors;
    }

    public static string TempDir() => Path.Combine(Path.GetTempPath(), "ts-train-" + Guid.NewGuid().ToString("N"));
}
