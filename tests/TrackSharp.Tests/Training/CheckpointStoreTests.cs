using TorchSharp;
using TrackSharp.Checkpoints;
using TrackSharp.Training.Engine;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.Training;

public class CheckpointStoreTests : IDisposable
{
    private readonly string _dir = TinyTraining.TempDir();

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static TrainerState State(long stepsDone) => new()
    {
        Epoch = (int)(stepsDone / 10), Iteration = (int)(stepsDone % 10), IterationsPerEpoch = 10, GlobalStep = stepsDone,
        Seed = 7, ConfigHash = "abc", Values = new() { ["sampler"] = "42" },
    };

    [Theory]
    [InlineData("sgd")]
    [InlineData("adamw")]
    public void SavedThenLoadedRunContinuesBitExactly(string optimizerName)
    {
        Func<nn.Module, optim.Optimizer> makeOptimizer = optimizerName == "sgd" ? TinyTraining.Sgd : TinyTraining.AdamW;
        const int before = 3, after = 4;
        var store = new CheckpointStore(_dir, "epoch-{epoch}.pkl");

        using var a = TinyTraining.Model(seed: 1);
        using var optA = makeOptimizer(a);
        a.train();
        for (int s = 0; s < before; s++) TinyTraining.Step(a, optA, s);
        var saved = store.Save(a, optA, State(before), epochOfLastIteration: 0);
        for (int s = before; s < before + after; s++) TinyTraining.Step(a, optA, s);

        using var b = TinyTraining.Model(seed: 2); // other initial weights: everything must come from the checkpoint
        using var optB = makeOptimizer(b);
        b.train();
        var state = CheckpointStore.Load(store.Latest()!, b, optB);
        Assert.Equal(before, state.GlobalStep);
        Assert.Equal("42", state.Values["sampler"]);
        for (int s = before; s < before + after; s++) TinyTraining.Step(b, optB, s);

        TinyTraining.AssertSameState(a, b);
        TinyTraining.AssertSameOptimizer(optA, optB);
        Assert.Equal(Path.Combine(_dir, "epoch-0.pkl"), saved.WeightsPath);
    }

    [Fact]
    public void WeightsAreATorchSaveStateDictTheRepositoryReaderLoads()
    {
        using var model = TinyTraining.Model(seed: 3);
        using var opt = TinyTraining.Sgd(model);
        TinyTraining.Step(model, opt, 0);
        var saved = new CheckpointStore(_dir, "checkpoint_e{epoch1}.pth").Save(model, opt, State(10), epochOfLastIteration: 0);
        Assert.Equal("checkpoint_e1.pth", Path.GetFileName(saved.WeightsPath));

        using var sd = StateDict.Load(saved.WeightsPath);
        var expected = model.state_dict();
        Assert.Equal(expected.Keys.Order(), sd.Keys.Order());
        foreach (var (key, tensor) in expected)
            Assert.True(tensor.bytes.SequenceEqual(sd[key].bytes), key);
        // The optimizer file is a torch.save archive in PyTorch's layout: state and param_groups.
        using var optimizerFile = TorchCheckpoint.Load(saved.OptimizerPath!);
        Assert.True(optimizerFile.TryGet("param_groups", out _));
        Assert.True(optimizerFile.TryGet("state", out _));
    }

    [Fact]
    public void LatestIsTheCheckpointWithTheMostStepsAndIgnoresUnfinishedOnes()
    {
        var store = new CheckpointStore(_dir, "model_{step:0000000}.pth");
        Assert.Null(store.Latest());
        using var model = TinyTraining.Model(seed: 4);
        using var opt = TinyTraining.Sgd(model);
        TinyTraining.Step(model, opt, 0);
        store.Save(model, opt, State(20), 1);
        store.Save(model, opt, State(5), 0);
        // An unfinished save: weights written, state JSON not (yet).
        File.WriteAllBytes(Path.Combine(_dir, "model_0000030.pth"), [1, 2, 3]);
        var latest = store.Latest()!;
        Assert.Equal("model_0000020.pth", Path.GetFileName(latest.WeightsPath));
        Assert.Equal([5L, 20L], store.List().Select(c => c.State.GlobalStep));
    }

    [Fact]
    public void TruncatedWeightsGiveAnErrorNamingTheFile()
    {
        var store = new CheckpointStore(_dir, "epoch-{epoch}.pkl");
        using var model = TinyTraining.Model(seed: 5);
        using var opt = TinyTraining.Sgd(model);
        TinyTraining.Step(model, opt, 0);
        var saved = store.Save(model, opt, State(10), 0);
        var bytes = File.ReadAllBytes(saved.WeightsPath);
        File.WriteAllBytes(saved.WeightsPath, bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<CheckpointFormatException>(() => store.Latest());
        Assert.Contains(saved.WeightsPath, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void CorruptOptimizerStateGivesAnErrorNamingTheFile()
    {
        var store = new CheckpointStore(_dir, "epoch-{epoch}.pkl");
        using var model = TinyTraining.Model(seed: 5);
        using var opt = TinyTraining.Sgd(model);
        TinyTraining.Step(model, opt, 0);
        var saved = store.Save(model, opt, State(10), 0);
        var bytes = File.ReadAllBytes(saved.OptimizerPath!);
        Array.Fill(bytes, (byte)0x5A, 0, bytes.Length / 2); // same size, garbage content
        File.WriteAllBytes(saved.OptimizerPath!, bytes);

        using var other = TinyTraining.Model(seed: 6);
        using var otherOpt = TinyTraining.Sgd(other);
        var e = Assert.Throws<CheckpointFormatException>(() => CheckpointStore.Load(store.Latest()!, other, otherOpt));
        Assert.Contains(saved.OptimizerPath!, e.Message);
    }

    [Fact]
    public void BrokenStateJsonGivesAnErrorNamingItAndTheLine()
    {
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, "epoch-3.pkl" + CheckpointStore.StateSuffix);
        File.WriteAllText(path, "{\n  \"epoch\": 3,\n  \"global_step\": oops\n}");
        var e = Assert.Throws<CheckpointFormatException>(() => new CheckpointStore(_dir, "epoch-{epoch}.pkl").Latest());
        Assert.Contains(path, e.Message);
        Assert.Contains("line 3", e.Message);
    }

    [Fact]
    public void WeightsThatDoNotFitTheModelNameTheKeys()
    {
        var store = new CheckpointStore(_dir, "epoch-{epoch}.pkl");
        using var model = TinyTraining.Model(seed: 5);
        store.Save(model, null, State(10), 0);
        using var other = nn.Sequential(("fc1", nn.Linear(4, 8)));
        var e = Assert.Throws<CheckpointMismatchException>(() => CheckpointStore.Load(store.Latest()!, other, null));
        Assert.Contains("fc2.weight", e.Message);
    }

    [Theory]
    [InlineData("epoch-{epoch}.pkl", 4, 50L, "epoch-4.pkl")]                         // video_analyst
    [InlineData("checkpoint_e{epoch1}.pth", 4, 50L, "checkpoint_e5.pth")]            // pysot
    [InlineData("OSTrack_ep{epoch1:0000}.pth.tar", 4, 50L, "OSTrack_ep0005.pth.tar")] // OSTrack
    [InlineData("model_{step:0000000}.pth", 4, 50L, "model_0000050.pth")]            // FCOS
    public void NamePatternsFollowTheReferences(string pattern, int epoch, long step, string expected) =>
        Assert.Equal(expected, new CheckpointNamePattern(pattern).Format(epoch, step));

    [Theory]
    [InlineData("epoch-{epok}.pkl", "{epok}")]
    [InlineData("runs/epoch-{epoch}.pkl", "file name")]
    public void BadPatternsAreRejectedWithTheReason(string pattern, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => new CheckpointNamePattern(pattern));
        Assert.Contains(expected, e.Message);
    }
}
