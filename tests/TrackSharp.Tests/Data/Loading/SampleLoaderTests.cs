using Microsoft.Extensions.Logging;
using TorchSharp;
using TrackSharp.Cli.Benchmarks;
using TrackSharp.Data.Datasets;
using TrackSharp.Data.Loading;
using TrackSharp.Data.Processing;
using TrackSharp.Data.Synthetic;
using Xunit;

namespace TrackSharp.Tests.Data.Loading;

public sealed class SyntheticSetFixture : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("tracksharp-loader-").FullName;

    public SyntheticSetFixture() =>
        SyntheticDataset.Write(Root, new SyntheticOptions { Sequences = 2, Frames = 8, Width = 160, Height = 120, Seed = 3 });

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

public class SampleLoaderTests(SyntheticSetFixture set) : IClassFixture<SyntheticSetFixture>
{

    private static bool Same(TorchSharp.torch.Tensor a, TorchSharp.torch.Tensor b) =>
        a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.contiguous().bytes.SequenceEqual(b.contiguous().bytes);
    private sealed class CapturingLogger : ILogger
    {
        public List<string> Messages { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            lock (Messages) Messages.Add($"{logLevel}: {formatter(state, exception)}");
        }
    }

    private static SampleFunction<OSTrackSample> Sampler(string root) =>
        LoaderBenchmark.PairSampler(DatasetReader.Open(root).Sequences, new OSTrackProcessing());

    private static List<Dictionary<string, torch.Tensor>> Run(SampleLoader<OSTrackSample> loader, int epoch)
    {
        var batches = new List<Dictionary<string, torch.Tensor>>();
        foreach (var b in loader.Epoch(epoch))
        {
            batches.Add(b.Names.ToDictionary(n => n, n => b[n].clone()));
            b.Dispose();
        }
        return batches;
    }

    [Fact]
    public void SameSeedGivesIdenticalBatchesWhateverTheWorkerCount()
    {
        var sampler = Sampler(set.Root);
        LoaderOptions Options(int workers) => new() { BatchSize = 3, EpochLength = 10, Workers = workers, Prefetch = 2, Seed = 7 };
        var one = Run(new SampleLoader<OSTrackSample>(sampler, Options(1)), epoch: 2);
        var two = Run(new SampleLoader<OSTrackSample>(sampler, Options(2)), epoch: 2);
        var three = Run(new SampleLoader<OSTrackSample>(sampler, Options(3)), epoch: 2);
        var otherEpoch = Run(new SampleLoader<OSTrackSample>(sampler, Options(2)), epoch: 3);

        Assert.Equal(4, one.Count);
        Assert.Equal([3L, 3, 256, 256], one[0][OSTrackSample.SearchKey].shape);
        Assert.Equal([3L, 3, 128, 128], one[0][OSTrackSample.TemplateKey].shape);
        Assert.Equal([3L, 16, 16], one[0][OSTrackSample.HeatmapKey].shape);
        Assert.Equal([1L, 4], one[3][OSTrackSample.SearchBoxKey].shape); // 10 = 3 + 3 + 3 + 1
        foreach (var other in new[] { two, three })
        {
            Assert.Equal(one.Count, other.Count);
            for (int b = 0; b < one.Count; b++)
                foreach (var (name, t) in one[b])
                    Assert.True(Same(t, other[b][name]), $"batch {b}, {name} differs");
        }
        Assert.False(Same(one[0][OSTrackSample.SearchKey], otherEpoch[0][OSTrackSample.SearchKey]));
    }

    [Fact]
    public void CorruptFrameIsLoggedAndReplacedAndTheEpochKeepsItsLength()
    {
        string copy = Directory.CreateTempSubdirectory("tracksharp-loader-corrupt-").FullName;
        try
        {
            foreach (string file in Directory.EnumerateFiles(set.Root, "*", SearchOption.AllDirectories))
            {
                string target = Path.Combine(copy, Path.GetRelativePath(set.Root, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
            var dataset = DatasetReader.Open(copy);
            var sequence = dataset.Sequences[0];
            int bad = Enumerable.Range(0, sequence.Length).First(sequence.IsVisible);
            File.WriteAllBytes(sequence.FramePaths[bad], "this is not a jpeg"u8.ToArray());

            var logger = new CapturingLogger();
            // Only the sequence with the corrupt frame, so draws hit it often.
            var sampler = LoaderBenchmark.PairSampler([sequence], new OSTrackProcessing());
            var loader = new SampleLoader<OSTrackSample>(sampler,
                new LoaderOptions { BatchSize = 4, EpochLength = 12, Workers = 2, Seed = 11, MaxConsecutiveFailures = 50 }, logger);
            int samples = 0;
            foreach (var b in loader.Epoch(0))
            {
                samples += (int)b[OSTrackSample.SearchKey].shape[0];
                b.Dispose();
            }

            Assert.Equal(12, samples);
            Assert.NotEmpty(loader.Failures);
            Assert.All(loader.Failures, f =>
            {
                Assert.Equal(sequence.Name, f.Sequence);
                Assert.Equal(bad, f.Frame);
            });
            Assert.Equal(loader.Failures.Count, logger.Messages.Count);
            Assert.All(logger.Messages, m =>
            {
                Assert.StartsWith("Warning", m);
                Assert.Contains(sequence.Name, m);
                Assert.Contains($"frame {bad}", m);
            });
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public void TooManyConsecutiveFailuresRaiseAClearError()
    {
        SampleFunction<OSTrackSample> broken = c =>
            throw new FrameReadException("seqA", c.Attempt, null, new IOException("cannot decode"));
        var loader = new SampleLoader<OSTrackSample>(broken,
            new LoaderOptions { BatchSize = 2, EpochLength = 4, Workers = 2, MaxConsecutiveFailures = 3 });
        var e = Assert.Throws<SampleLoaderException>(() => loader.Epoch(0).ToList());
        Assert.Contains("3 consecutive draws failed", e.Message);
        Assert.Contains("seqA", e.Message);
    }

    [Fact]
    public void RejectedDrawsAreRedrawnWithDerivedSeeds()
    {
        var attempts = new System.Collections.Concurrent.ConcurrentBag<(int Index, int Attempt, int Seed)>();
        SampleFunction<OSTrackSample> sometimes = c =>
        {
            attempts.Add((c.Index, c.Attempt, SampleSeeds.Derive(5, c.Epoch, c.Index, c.Attempt)));
            if (c.Attempt < 2) return null;
            var z = torch.full([1], (float)c.Index);
            return new OSTrackSample(z, z.clone(), z.clone(), z.clone(), z.clone(), z.clone(), z.clone());
        };
        var loader = new SampleLoader<OSTrackSample>(sometimes, new LoaderOptions { BatchSize = 2, EpochLength = 4, Seed = 5 });
        var values = new List<float>();
        foreach (var b in loader.Epoch(0))
        {
            values.AddRange(b[OSTrackSample.SearchKey].data<float>().ToArray());
            b.Dispose();
        }
        Assert.Equal([0f, 1f, 2f, 3f], values);
        Assert.Equal(12, attempts.Count);
        Assert.Equal(12, attempts.Select(a => a.Seed).Distinct().Count());
    }
}
