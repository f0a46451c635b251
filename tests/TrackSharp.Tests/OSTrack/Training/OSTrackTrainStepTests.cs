using System.Text.Json;
using TorchSharp;
using TrackSharp.Checkpoints;
using TrackSharp.Config;
using TrackSharp.Data.Targets;
using TrackSharp.Trackers.OSTrack;
using TrackSharp.Trackers.OSTrack.Training;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TrackSharp.Tests.OSTrack.Training;

/// <summary>
/// One reference training step (golden/ostrack_small train_step.npz / train_step.json): weights.pth, the stored batch,
/// epoch 4 (keep rate 0.85), the stored drop-path draws replayed; the actor's outputs and losses, the gradient of every
/// parameter before clipping, the clip norm, every parameter after the AdamW step and the BatchNorm buffers, each within
/// 1e-4 relative to the tensor's largest magnitude.
/// </summary>
public sealed class OSTrackTrainStepFixture : IDisposable
{
    public Npz Golden { get; } = Npz.Load(OSTrackGolden.File("train_step.npz"));
    public JsonElement Json { get; } = JsonDocument.Parse(File.ReadAllText(OSTrackGolden.File("train_step.json"))).RootElement;

    public Dictionary<string, Tensor> Ours { get; } = new();
    public double TotalNorm { get; }
    public double KeepRate { get; }
    public IReadOnlyList<IReadOnlyList<string>> Groups { get; }
    public IReadOnlyList<string> ParametersWithoutGrad { get; }
    public double[] LrEpoch9 { get; }
    public int DropPathMasksLeft { get; }

    /// <summary>The optimizer alone: weights.pth given the golden gradients, clipped and stepped.</summary>
    public Dictionary<string, Tensor> FromGoldenGradients { get; } = new();
    public double TotalNormFromGoldenGradients { get; }

    /// <summary>The factor the reference's clip applied to its gradients: min(1, GRAD_CLIP_NORM / (total_norm + 1e-6)), as
    /// <c>torch.nn.utils.clip_grad_norm_</c> computes it.</summary>
    public double GoldenClipCoefficient { get; }

    public OSTrackTrainStepFixture()
    {
        var config = OSTrackGolden.Experiment();
        using var model = OSTrackCheckpoints.LoadModel(OSTrackGolden.WeightsPath, OSTrackGolden.ModelConfig());
        var g = Golden;
        var queue = new Queue<Tensor>();
        for (int j = 0; g.ContainsKey($"drop_path_mask_{j:00}"); j++) queue.Enqueue(g.Tensor($"drop_path_mask_{j:00}"));
        foreach (var block in model.Backbone.Blocks)
            if (block.DropPath is { } dp) dp.MaskOverride = _ => queue.Dequeue().alias();
        model.train();

        var actor = new OSTrackActor(model, OSTrackLossWeights.FromConfig(config),
            config.Get<int>("TRAIN.CE_START_EPOCH"), config.Get<int>("TRAIN.CE_WARM_EPOCH"));
        using var optimizer = new OSTrackOptimizer(model, new OSTrackOptimizerSettings(
            config.Get<double>("TRAIN.LR"), config.Get<double>("TRAIN.BACKBONE_MULTIPLIER"),
            config.Get<double>("TRAIN.WEIGHT_DECAY"), config.Get<int>("TRAIN.LR_DROP_EPOCH"), config.Get<double>("TRAIN.GRAD_CLIP_NORM")));
        Groups = optimizer.GroupParameterNames;
        LrEpoch9 = optimizer.LearningRates(8);
        int epoch = Json.GetProperty("epoch").GetInt32();
        KeepRate = actor.KeepRate(epoch) ?? double.NaN;
        optimizer.SetLearningRates(epoch - 1);

        var template = g.Tensor("batch/template_images")[0];
        var search = g.Tensor("batch/search_images")[0];
        var anno = g.Tensor("batch/search_anno")[0];
        Ours["batch/gt_heatmap"] = CenterHeatmap.Generate(anno, 256, 16).unsqueeze(1);
        OSTrackOutput? output = null;
        var losses = actor.Compute(template, search, anno, epoch, o => output = o);
        Ours["out/pred_boxes"] = output!.PredBoxes.detach();
        Ours["out/score_map"] = output.ScoreMap.detach();
        Ours["out/size_map"] = output.SizeMap.detach();
        Ours["out/offset_map"] = output.OffsetMap.detach();
        Ours["out/iou"] = losses.Iou.detach();
        Ours["out/pred_boxes_xyxy"] = OSTrackActor.CxcywhToXyxy(output.PredBoxes.detach()).view(-1, 4);
        Ours["out/gt_boxes_xyxy_clamped"] = OSTrackActor.XywhToXyxy(anno).clamp(0.0, 1.0);
        Ours["loss/total"] = losses.Total.detach();
        Ours["loss/giou"] = losses.Giou.detach();
        Ours["loss/l1"] = losses.L1.detach();
        Ours["loss/location"] = losses.Location.detach();
        for (int i = 0; i < output.RemovedIndexes.Count; i++)
            if (output.RemovedIndexes[i] is { } r) Ours[$"out/removed_indexes_s_{i}"] = r.detach();

        optimizer.AdamW.zero_grad();
        losses.Total.backward();
        DropPathMasksLeft = queue.Count;
        var without = new List<string>();
        foreach (var (name, p) in model.named_parameters())
            if (p.grad is { } grad) Ours["grad/" + name] = grad.clone();
            else without.Add(name);
        ParametersWithoutGrad = without;
        TotalNorm = optimizer.ClipGradients();
        optimizer.AdamW.step();
        foreach (var (name, p) in model.named_parameters()) Ours["param_after/" + name] = p.detach().clone();
        foreach (var (name, b) in model.named_buffers()) Ours["buffer_after/" + name] = b.clone();
        foreach (var block in model.Backbone.Blocks)
            if (block.DropPath is { } dp) dp.MaskOverride = null;

        TotalNormFromGoldenGradients = StepFromGoldenGradients(config, epoch);
        GoldenClipCoefficient = Math.Min(1.0, config.Get<double>("TRAIN.GRAD_CLIP_NORM") / (Json.GetProperty("total_norm").GetDouble() + 1e-6));
    }

    /// <summary>Loads weights.pth again, gives every parameter the golden gradient (through the surrogate loss
    /// Σ p·g, whose gradient is g exactly), then clips and steps as the training step does.</summary>
    private double StepFromGoldenGradients(ExperimentConfig config, int epoch)
    {
        using var model = OSTrackCheckpoints.LoadModel(OSTrackGolden.WeightsPath, OSTrackGolden.ModelConfig());
        using var optimizer = new OSTrackOptimizer(model, new OSTrackOptimizerSettings(
            config.Get<double>("TRAIN.LR"), config.Get<double>("TRAIN.BACKBONE_MULTIPLIER"),
            config.Get<double>("TRAIN.WEIGHT_DECAY"), config.Get<int>("TRAIN.LR_DROP_EPOCH"), config.Get<double>("TRAIN.GRAD_CLIP_NORM")));
        optimizer.SetLearningRates(epoch - 1);
        optimizer.AdamW.zero_grad();
        using (var scope = NewDisposeScope())
        {
            Tensor? surrogate = null;
            foreach (var (name, p) in model.named_parameters())
                if (Golden.ContainsKey("grad/" + name))
                {
                    var term = (p * Golden.Tensor("grad/" + name).reshape(p.shape)).sum();
                    surrogate = surrogate is null ? term : surrogate + term;
                }
            surrogate!.backward();
        }
        double totalNorm = optimizer.ClipGradients();
        optimizer.AdamW.step();
        foreach (var (name, p) in model.named_parameters()) FromGoldenGradients["param_after/" + name] = p.detach().clone();
        return totalNorm;
    }

    public void Dispose()
    {
        foreach (var t in Ours.Values) t.Dispose();
        foreach (var t in FromGoldenGradients.Values) t.Dispose();
        Golden.Dispose();
    }
}

public class OSTrackTrainStepTests(OSTrackTrainStepFixture fixture, ITestOutputHelper log) : IClassFixture<OSTrackTrainStepFixture>
{
    private const double RelTol = 1e-4;

    /// <summary>Largest |ours − golden| over the tensor, relative to the largest |golden| (1 when that is 0).</summary>
    private (double Rel, double Abs) Compare(string key) => Compare(key, fixture.Ours);

    private (double Rel, double Abs) Compare(string key, IReadOnlyDictionary<string, Tensor> values, Tensor? elements = null)
    {
        Assert.True(values.ContainsKey(key), $"no value for {key}");
        using var scope = NewDisposeScope();
        var golden = fixture.Golden.Tensor(key).to(ScalarType.Float64);
        var ours = values[key].to(ScalarType.Float64).reshape(golden.shape);
        double scale = golden.numel() == 0 ? 1 : Math.Max(golden.abs().max().item<double>(), 1e-12);
        var difference = (ours - golden).abs();
        if (elements is not null) difference = difference.masked_select(elements);
        double abs = difference.numel() == 0 ? 0 : difference.max().item<double>();
        return (abs / scale, abs);
    }

    /// <summary>AdamW's ε (torch's default, which OSTrack keeps).</summary>
    private const double AdamEpsilon = 1e-8;

    /// <summary>
    /// The elements of a parameter whose first AdamW step is decided by rounding noise: those whose clipped golden
    /// gradient is under 10·ε. The first step is lr·g/(|g|+ε): a sign for |g| ≫ ε, but linear in g near ε, so there a
    /// gradient that matches to 1e-7 of the tensor's largest gradient takes another step (box_head.conv1_ctr.0.weight
    /// element 745: −4.4e-7 in the reference, −1.1e-6 here with one libtorch thread, next to a largest gradient of 3.9,
    /// and ×0.0055 from the clip). Which elements differ, and by how much, changes with the number of threads libtorch
    /// sums over. These are 2.3% of the elements: mostly attention key weights and biases (softmax ignores a shift of
    /// all keys, so their gradient is near 0), the template position embedding, and gradients that are exactly 0.
    /// </summary>
    private Tensor NoiseDecidedSteps(string name)
    {
        using var grad = fixture.Golden.Tensor("grad/" + name).to(ScalarType.Float64);
        return (grad.abs() * fixture.GoldenClipCoefficient).lt(10 * AdamEpsilon);
    }

    /// <summary>
    /// Conv biases that feed a train-mode BatchNorm (<c>box_head.conv{1..4}_*.0.bias</c>): the batch mean cancels them, so
    /// their exact gradient is 0 and both runs hold rounding noise (~1e-7); AdamW then turns that noise into a step of up
    /// to lr. They are checked separately (<see cref="NoiseOnlyGradientsStayNoiseAndTheirStepIsBoundedByLr"/>).
    /// </summary>
    private static bool IsBiasBeforeBatchNorm(string key) =>
        System.Text.RegularExpressions.Regex.IsMatch(key, @"box_head\.conv[1-4]_(ctr|offset|size)\.0\.bias$");

    private void AssertAll(string prefix)
    {
        var keys = fixture.Golden.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Where(k => !IsBiasBeforeBatchNorm(k) && !k.StartsWith("out/removed_indexes", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(keys);
        var worst = keys.Select(k => (Key: k, Diff: Compare(k))).OrderByDescending(x => x.Diff.Rel).ToList();
        foreach (var w in worst.Take(6))
            log.WriteLine($"{prefix}: {keys.Count} tensors, {w.Key} rel {w.Diff.Rel:E2} (abs {w.Diff.Abs:E2})");
        foreach (var (key, diff) in worst)
            Assert.True(diff.Rel <= RelTol, $"train_step.npz {key}: relative difference {diff.Rel:E3} > {RelTol:E0}");
    }

    [Fact]
    public void KeepRateOfEpoch4Is085AndEveryDropPathDrawIsUsed()
    {
        Assert.Equal(fixture.Json.GetProperty("ce_keep_rate").GetDouble(), fixture.KeepRate, 12);
        Assert.Equal(0, fixture.DropPathMasksLeft);
    }

    [Fact]
    public void HeatmapLabelMatches() => Assert.Equal(0, Compare("batch/gt_heatmap").Abs);

    [Fact]
    public void NetworkOutputsMatch() => AssertAll("out/");

    [Fact]
    public void EachLossComponentMatches()
    {
        AssertAll("loss/");
        foreach (var name in new[] { "total", "giou", "l1", "location" })
            log.WriteLine($"loss/{name}: ours {fixture.Ours["loss/" + name].ToDouble():R} golden {fixture.Json.GetProperty("loss").GetProperty(name).GetDouble():R}");
    }

    [Fact]
    public void GradientsOfEveryParameterMatchBeforeClipping()
    {
        AssertAll("grad/");
        var golden = fixture.Json.GetProperty("params_without_grad").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(golden, fixture.ParametersWithoutGrad);
    }

    [Fact]
    public void NoiseOnlyGradientsStayNoiseAndTheirStepIsBoundedByLr()
    {
        var keys = fixture.Golden.Keys.Where(IsBiasBeforeBatchNorm).ToList();
        Assert.Equal(2 * 12, keys.Count); // grad/ and param_after/ of 12 biases
        foreach (var key in keys)
        {
            var (_, abs) = Compare(key);
            // Gradients: noise, so within 1e-4 of the largest gradient of the conv's weight, the tolerance every
            // other gradient is held to. Steps: at most the head's lr (4e-4) each way.
            double bound = key.StartsWith("grad/", StringComparison.Ordinal)
                ? RelTol * fixture.Golden.Tensor(key[..^"bias".Length] + "weight").abs().max().ToDouble()
                : 2 * 4e-4;
            Assert.True(abs <= bound, $"train_step.npz {key}: |difference| {abs:E3} > {bound:E3}");
        }
    }

    [Fact]
    public void RemovedSearchTokensAreTheSameSets()
    {
        for (int i = 0; i < 2; i++)
        {
            string key = $"out/removed_indexes_s_{i}";
            using var golden = fixture.Golden.Tensor(key).sort(-1).Values;
            using var ours = fixture.Ours[key].to(ScalarType.Float32).sort(-1).Values;
            Assert.Equal(golden.shape, ours.shape);
            Assert.True(golden.eq(ours).all().item<bool>(), $"train_step.npz {key}: another set of removed tokens");
        }
    }

    [Fact]
    public void ClipNormMatches()
    {
        double golden = fixture.Json.GetProperty("total_norm").GetDouble();
        log.WriteLine($"total_norm ours {fixture.TotalNorm:R} golden {golden:R}");
        Assert.True(Math.Abs(fixture.TotalNorm - golden) <= RelTol * golden, $"clip total norm {fixture.TotalNorm} vs {golden}");
    }

    /// <summary>End to end: every parameter after the step, except the elements whose step rounding noise decides
    /// (<see cref="NoiseDecidedSteps"/>), which are bounded by the step size instead.</summary>
    [Fact]
    public void ParametersAfterTheAdamWStepMatch()
    {
        var keys = fixture.Golden.Keys.Where(k => k.StartsWith("param_after/", StringComparison.Ordinal) && !IsBiasBeforeBatchNorm(k)).ToList();
        Assert.NotEmpty(keys);
        long noiseDecided = 0, total = 0;
        foreach (var key in keys)
        {
            string name = key["param_after/".Length..];
            if (!fixture.Golden.ContainsKey("grad/" + name)) { Assert.True(Compare(key).Rel <= RelTol, key); continue; }
            using var noisy = NoiseDecidedSteps(name);
            using var decided = noisy.logical_not();
            noiseDecided += noisy.sum().ToInt64();
            total += noisy.numel();
            var (rel, abs) = Compare(key, fixture.Ours, decided);
            Assert.True(rel <= RelTol, $"train_step.npz {key}: relative difference {rel:E3} > {RelTol:E0} (abs {abs:E2})");
            var (_, noiseAbs) = Compare(key, fixture.Ours, noisy);
            Assert.True(noiseAbs <= 2 * 4e-4, $"train_step.npz {key}: a noise-decided step differs by {noiseAbs:E3}, more than 2·lr");
        }
        log.WriteLine($"{noiseDecided} of {total} parameter elements have a clipped golden gradient under 10·ε");
        // 7,830 of 343,585 (2.3%) here; a bound well above it keeps the mask from growing to hide real steps.
        Assert.True(noiseDecided < total / 20, $"{noiseDecided} of {total} elements are noise-decided: the mask hides real steps");
    }

    /// <summary>The optimizer alone, fed the golden gradients: the clip norm and every parameter after the AdamW step
    /// (two groups, weight decay, clipping), the BatchNorm-fed biases included, within 1e-4 relative.</summary>
    [Fact]
    public void TheAdamWStepFromTheGoldenGradientsMatches()
    {
        double golden = fixture.Json.GetProperty("total_norm").GetDouble();
        Assert.True(Math.Abs(fixture.TotalNormFromGoldenGradients - golden) <= 1e-6 * golden,
            $"clip total norm {fixture.TotalNormFromGoldenGradients:R} vs {golden:R}");
        var keys = fixture.Golden.Keys.Where(k => k.StartsWith("param_after/", StringComparison.Ordinal)).ToList();
        var worst = keys.Select(k => (Key: k, Diff: Compare(k, fixture.FromGoldenGradients))).OrderByDescending(x => x.Diff.Rel).ToList();
        foreach (var w in worst.Take(3)) log.WriteLine($"{w.Key} rel {w.Diff.Rel:E2} (abs {w.Diff.Abs:E2})");
        foreach (var (key, diff) in worst)
            Assert.True(diff.Rel <= RelTol, $"train_step.npz {key}: relative difference {diff.Rel:E3} > {RelTol:E0}");
    }

    [Fact]
    public void BatchNormBuffersAfterTheTrainForwardMatch() => AssertAll("buffer_after/");

    [Fact]
    public void ParamGroupsAndStepLrMatchTheReference()
    {
        var opt = fixture.Json.GetProperty("optimizer");
        var groups = opt.GetProperty("group_param_names").EnumerateArray()
            .Select(g => g.EnumerateArray().Select(e => e.GetString()!).ToList()).ToList();
        var ours = fixture.Groups.Select(g => g.Where(n => n is not ("backbone.cls_token" or "backbone.pos_embed")).ToList()).ToList();
        var theirs = groups.Select(g => g.Where(n => n is not ("backbone.cls_token" or "backbone.pos_embed")).ToList()).ToList();
        Assert.Equal(theirs, ours);
        var epoch9 = fixture.Json.GetProperty("lr_schedule_StepLR").GetProperty("per_epoch").EnumerateArray()
            .Single(e => e.GetProperty("epoch").GetInt32() == 9).GetProperty("lr_per_group").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(epoch9, fixture.LrEpoch9); // exact: 4.000000000000001e-06
    }
}

/// <summary>The loss functions alone on processing.npz (giou_*, focal_*): hand-picked pairs and maps.</summary>
public class OSTrackLossFunctionTests
{
    private static readonly Lazy<Npz> Processing = new(() => Npz.Load(OSTrackGolden.File("processing.npz")));

    private static double Max(Tensor a, Tensor b) => (a.to(ScalarType.Float64) - b.to(ScalarType.Float64)).abs().max().item<double>();

    [Fact]
    public void GiouAndIouOfPairsMatch()
    {
        var g = Processing.Value;
        using var scope = NewDisposeScope();
        var (giou, iou) = GiouLoss.Generalized(g.Tensor("giou_boxes1_xyxy"), g.Tensor("giou_boxes2_xyxy"));
        Assert.True(Max(giou, g.Tensor("giou_giou")) < 1e-6);
        Assert.True(Max(iou, g.Tensor("giou_iou")) < 1e-6);
        var (loss, _) = GiouLoss.Compute(g.Tensor("giou_boxes1_xyxy"), g.Tensor("giou_boxes2_xyxy"));
        Assert.True(Max(loss, g.Tensor("giou_loss")) < 1e-6);
    }

    [Fact]
    public void FocalLossMatchesWithAndWithoutPositives()
    {
        var g = Processing.Value;
        using var scope = NewDisposeScope();
        var all = FocalLoss.Compute(g.Tensor("focal_pred"), g.Tensor("focal_gt"));
        Assert.True(Max(all, g.Tensor("focal_loss_all")) <= 1e-4 * Math.Abs(g.Tensor("focal_loss_all").ToDouble()));
        var none = FocalLoss.Compute(g.Tensor("focal_pred")[4..5], g.Tensor("focal_gt")[4..5]);
        Assert.True(Max(none, g.Tensor("focal_loss_no_positive")) <= 1e-4 * Math.Abs(g.Tensor("focal_loss_no_positive").ToDouble()));
    }
}
