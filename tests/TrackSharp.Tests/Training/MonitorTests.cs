using System.Text.Json;
using TrackSharp.Training.Monitoring;
using Xunit;

namespace TrackSharp.Tests.Training;

public class MonitorTests
{
    private static readonly string MetaJson = Path.Combine(TestPaths.Shared, "golden", "siamfcpp_small", "meta.json");

    /// <summary>The golden SiamFC++ train step (meta.json "train_step") as an iteration report.</summary>
    private static (IterationReport Report, JsonElement Step) GoldenReport()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(MetaJson));
        var step = doc.RootElement.GetProperty("train_step").Clone();
        var losses = step.GetProperty("losses").EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetDouble())).ToList();
        var extras = step.GetProperty("extras").EnumerateObject().Select(p => KeyValuePair.Create(p.Name,
            (IReadOnlyList<KeyValuePair<string, double>>)p.Value.EnumerateObject().Select(e => KeyValuePair.Create(e.Name, e.Value.GetDouble())).ToList())).ToList();
        var report = new IterationReport(
            Epoch: step.GetProperty("epoch").GetInt32(), MaxEpoch: 20,
            Iteration: step.GetProperty("iteration").GetInt32(), IterationsPerEpoch: 1,
            GlobalStep: 5,
            Schedule: [KeyValuePair.Create("lr", step.GetProperty("schedule_lr").GetDouble())],
            Losses: losses, Extras: extras,
            PhaseSeconds: [KeyValuePair.Create("data", 0.001), KeyValuePair.Create("fwd", 0.025),
                KeyValuePair.Create("bwd", 0.3), KeyValuePair.Create("optim", 0.004)],
            MaxMemoryBytes: 512L * 1024 * 1024);
        return (report, step);
    }

    [Fact]
    public void TensorBoardScalarsMatchTheGoldenTagsValuesAndSteps()
    {
        var (report, step) = GoldenReport();
        var expected = step.GetProperty("tensorboard_scalars").EnumerateArray()
            .Select(a => (a[0].GetString()!, a[1].GetDouble(), a[2].GetInt64())).ToList();
        var actual = TensorBoardMonitor.Scalars(report, phaseTimes: false).Select(s => (s.Tag, s.Value, report.GlobalStep)).ToList();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void TensorBoardMonitorWritesThemToAnEventFile()
    {
        var (report, step) = GoldenReport();
        var dir = Path.Combine(Path.GetTempPath(), "ts-tbm-" + Guid.NewGuid().ToString("N"));
        try
        {
            string file;
            using (var monitor = new TensorBoardMonitor(dir))
            {
                Assert.Null(monitor.FilePath); // nothing written before the first update
                monitor.Update(report);
                file = monitor.FilePath!;
            }
            var scalars = TensorBoardEventReader.ReadFile(file).Skip(1).Select(e => (e.Step, e.Scalars.Single())).ToList();
            var golden = step.GetProperty("tensorboard_scalars").EnumerateArray()
                .Select(a => (a[2].GetInt64(), (a[0].GetString()!, (float)a[1].GetDouble()))).ToList();
            Assert.Equal(golden, scalars.Take(golden.Count));
            Assert.Equal([(5L, ("time_dict/data", 0.001f)), (5L, ("time_dict/fwd", 0.025f)), (5L, ("time_dict/bwd", 0.3f)),
                (5L, ("time_dict/optim", 0.004f))], scalars.Skip(golden.Count));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void TextLineHasTheVideoAnalystLayout()
    {
        var (report, _) = GoldenReport();
        // '%.1e' for schedule values and times, '%.3f' for losses and extras, ' max mem: {:.1f}M' after the
        // last ', ' (two spaces), as videoanalyst/engine/monitor/monitor_impl/text_info.py formats them.
        Assert.Equal("epoch 5, lr: 7.2e-02, cls: 1.164, ctr: 0.281, reg: 7.029, iou: 0.108, " +
                     "data: 1.0e-03, fwd: 2.5e-02, bwd: 3.0e-01, optim: 4.0e-03,  max mem: 512.0M",
            TextMonitor.Format(report));
    }

    [Theory]
    [InlineData(0.07156572580560104, "7.2e-02")]
    [InlineData(1234.5, "1.2e+03")]
    [InlineData(0.0, "0.0e+00")]
    [InlineData(-0.00096, "-9.6e-04")]
    [InlineData(3e-120, "3.0e-120")]
    public void Exp1MatchesPythonPercentDotOneE(double value, string python) => Assert.Equal(python, TextMonitor.Exp1(value));

    [Fact]
    public void TextMonitorWritesEveryNthAndTheLastIterationOfAnEpoch()
    {
        var (golden, _) = GoldenReport();
        var lines = new List<string>();
        var monitor = new TextMonitor(lines.Add, every: 3);
        for (int i = 0; i < 7; i++)
            monitor.Update(golden with { Epoch = 0, Iteration = i, IterationsPerEpoch = 7, GlobalStep = i });
        Assert.Equal(3, lines.Count); // iterations 2, 5 and 6 (the last)
        Assert.All(lines, l => Assert.StartsWith("epoch 0, lr: ", l));
    }
}
