using TrackSharp.Checkpoints;
using TrackSharp.Config;
using TrackSharp.Training.Engine;
using TrackSharp.Training.Monitoring;
using Xunit;
using Xunit.Abstractions;

namespace TrackSharp.Tests.Training;

/// <summary>
/// What the family trainer tests (SiamFC++, SiamBAN, NanoTrack, TrDiMP, FCOS) share: a scratch folder per test, the
/// TensorBoard scalars a run wrote, the straight / stopped / resumed sequence of the resume tests and the bit-exact
/// comparison of two runs' weight and optimizer files. Expected values stay in the tests; these only run and compare.
/// </summary>
internal static class TrainerTestKit
{
    /// <summary>A fresh path under the temp folder (not created), deleted with everything below it on dispose.</summary>
    public static ScratchFolder Scratch() => new(TinyTraining.TempDir());

    /// <summary>Every event of the run in <paramref name="runDirectory"/> (<c>logs/tensorboard/events.out.tfevents.*</c>).</summary>
    public static List<ReadEvent> TensorBoardEvents(string runDirectory) =>
        Directory.GetFiles(Path.Combine(runDirectory, "logs", "tensorboard"), "events.out.tfevents.*")
            .SelectMany(TensorBoardEventReader.ReadFile).ToList();

    /// <summary>The scalar <paramref name="tag"/> at global steps 0 .. <paramref name="steps"/> − 1; a step logged
    /// never or twice fails the test.</summary>
    public static double[] ScalarSeries(IReadOnlyList<ReadEvent> events, string tag, int steps) =>
        Enumerable.Range(0, steps).Select(step =>
            (double)events.Single(e => e.Step == step && e.Scalars.Any(s => s.Tag == tag)).Scalars.Single(s => s.Tag == tag).Value).ToArray();

    /// <summary>
    /// The resume test's three runs: an uninterrupted run into <paramref name="straight"/>; a run into
    /// <paramref name="stopped"/> cancelled after the iteration at global step <paramref name="cancelAfterStep"/> (like a
    /// Ctrl-C), which must end cancelled with <paramref name="stoppedAtStep"/> iterations done; then
    /// <paramref name="afterStop"/>, and the resumed run, which must start at <paramref name="stoppedAtStep"/> and finish.
    /// </summary>
    /// <param name="create">Builds a trainer for (output folder, resume, monitors).</param>
    public static void StraightStoppedResumed(Func<string, bool, IReadOnlyList<ITrainingMonitor>, ITrainer> create, string straight,
        string stopped, long cancelAfterStep, long stoppedAtStep, Action? afterStop = null)
    {
        using (var trainer = create(straight, false, []))
            Assert.True(trainer.Run(CancellationToken.None).Finished, "the uninterrupted run did not finish");

        using (var cancel = new CancellationTokenSource())
        using (var trainer = create(stopped, false, [new CancelAfter(cancel, cancelAfterStep)]))
        {
            var summary = trainer.Run(cancel.Token);
            Assert.True(summary.Cancelled, "the stopped run was not cancelled");
            Assert.Equal(stoppedAtStep, summary.GlobalStep);
        }
        afterStop?.Invoke();

        using (var trainer = create(stopped, true, []))
        {
            var summary = trainer.Run(CancellationToken.None);
            Assert.Equal(stoppedAtStep, summary.StartStep);
            Assert.True(summary.Finished, "the resumed run did not finish");
        }
    }

    /// <summary>
    /// <see cref="StraightStoppedResumed(Func{string, bool, IReadOnlyList{ITrainingMonitor}, ITrainer}, string, string, long, long, Action?)"/>
    /// for trainers built from a request alone: every run trains <paramref name="config"/> on <paramref name="dataRoots"/>.
    /// </summary>
    public static void StraightStoppedResumed(Func<TrainRequest, ITrainer> create, ExperimentConfig config,
        IReadOnlyDictionary<string, string> dataRoots, string straight, string stopped, long cancelAfterStep, long stoppedAtStep) =>
        StraightStoppedResumed((outDir, resume, monitors) => create(new TrainRequest
        {
            Config = config, OutputDirectory = outDir, Resume = resume, DataRoots = dataRoots, Monitors = monitors,
        }), straight, stopped, cancelAfterStep, stoppedAtStep);

    /// <summary>Both weight files hold the same keys and every tensor equal bit for bit.</summary>
    /// <param name="label">Names the files in a failure message.</param>
    public static void AssertSameWeights(string expectedFile, string actualFile, ITestOutputHelper? output = null, string label = "weights")
    {
        using var a = StateDict.Load(expectedFile);
        using var b = StateDict.Load(actualFile);
        AssertSameWeights(a, b, output, label);
    }

    /// <inheritdoc cref="AssertSameWeights(string, string, ITestOutputHelper?, string)"/>
    public static void AssertSameWeights(StateDict expected, StateDict actual, ITestOutputHelper? output = null, string label = "weights")
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var key in expected.Keys)
            Assert.True(expected[key].bytes.SequenceEqual(actual[key].bytes), $"{label}: '{key}' differs after the resume");
        output?.WriteLine($"{label}: {expected.Count} tensors equal bit for bit");
    }

    /// <summary>Both optimizer files (<c>*.optim.pth</c>) hold the same number of tensors, at least one, each equal bit
    /// for bit.</summary>
    /// <param name="buffers">What the tensors are (momentum buffers, Adam moments), for the message of an empty file.</param>
    public static void AssertSameOptimizerState(string expectedFile, string actualFile, string buffers, ITestOutputHelper? output = null)
    {
        using var a = TorchCheckpoint.Load(expectedFile);
        using var b = TorchCheckpoint.Load(actualFile);
        Assert.Equal(a.Tensors.Count, b.Tensors.Count);
        Assert.True(a.Tensors.Count > 0, $"the optimizer file holds no {buffers}");
        for (int i = 0; i < a.Tensors.Count; i++)
            Assert.True(a.Tensors[i].bytes.SequenceEqual(b.Tensors[i].bytes), $"optimizer tensor {i} differs after the resume");
        output?.WriteLine($"optimizer: {a.Tensors.Count} tensors equal bit for bit");
    }

    /// <summary>A temp path deleted (if it was created) on dispose.</summary>
    public sealed class ScratchFolder(string path) : IDisposable
    {
        public string Path { get; } = path;

        public void Dispose()
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
    }

    /// <summary>Cancels the run after the iteration at global step <paramref name="lastStep"/>, like a Ctrl-C.</summary>
    public sealed class CancelAfter(CancellationTokenSource cancel, long lastStep) : ITrainingMonitor
    {
        public void Update(IterationReport report)
        {
            if (report.GlobalStep >= lastStep) cancel.Cancel();
        }

        public void Dispose() { }
    }
}
