using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;

namespace TrackSharp.Data.Loading;

/// <summary>What the sample function gets: which sample, which draw, and the only randomness it may use.</summary>
/// <param name="Index">Sample index within the epoch.</param>
/// <param name="Epoch">Epoch number.</param>
/// <param name="Attempt">0 for the first draw; 1, 2, ... for redraws after a rejected or corrupt sample.</param>
/// <param name="Random">Seeded with <see cref="SampleSeeds.Derive"/>(seed, epoch, index, attempt).</param>
public sealed record SampleContext(int Index, int Epoch, int Attempt, Random Random);

/// <summary>Builds sample <see cref="SampleContext.Index"/> from <see cref="SampleContext.Random"/> only; returns null
/// when the draw is invalid (the loader redraws); throws (e.g. <see cref="FrameReadException"/>) when data is corrupt.</summary>
public delegate TSample? SampleFunction<TSample>(SampleContext context) where TSample : class, ITensorSample;

/// <summary>A corrupt draw the loader logged and replaced.</summary>
public sealed record SampleFailure(int Epoch, int Index, int Attempt, string? Sequence, int? Frame, string Message);

/// <summary>Settings of <see cref="SampleLoader{TSample}"/>.</summary>
public sealed record LoaderOptions
{
    public int BatchSize { get; init; } = 32;

    /// <summary>Samples per epoch; the last batch is smaller when this is not a multiple of the batch size.</summary>
    public int EpochLength { get; init; } = 1000;

    /// <summary>Worker threads building batches.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Batches built ahead of the consumer (at least 1).</summary>
    public int Prefetch { get; init; } = 2;

    public int Seed { get; init; }

    /// <summary>Consecutive corrupt draws (exceptions) of one sample after which the loader gives up.</summary>
    public int MaxConsecutiveFailures { get; init; } = 10;

    /// <summary>Invalid draws (null from the sample function) of one sample after which the loader gives up.</summary>
    public int MaxInvalidDraws { get; init; } = 100;

    public void Validate()
    {
        if (BatchSize < 1) throw new ArgumentException($"batch size must be >= 1, got {BatchSize}");
        if (EpochLength < 1) throw new ArgumentException($"epoch length must be >= 1, got {EpochLength}");
        if (Workers < 1) throw new ArgumentException($"workers must be >= 1, got {Workers}");
        if (Prefetch < 1) throw new ArgumentException($"prefetch must be >= 1, got {Prefetch}");
        if (MaxConsecutiveFailures < 1 || MaxInvalidDraws < 1) throw new ArgumentException("failure limits must be >= 1");
    }
}

/// <summary>Seeds of the per-sample random streams: a SplitMix64 hash of (seed, epoch, index, attempt).</summary>
public static class SampleSeeds
{
    public static int Derive(int seed, int epoch, int index, int attempt)
    {
        ulong h = Mix((ulong)(uint)seed);
        h = Mix(h ^ (ulong)(uint)epoch);
        h = Mix(h ^ (ulong)(uint)index);
        h = Mix(h ^ (ulong)(uint)attempt);
        return (int)(h >> 33);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>The loader gave up on a sample (too many corrupt or invalid draws in a row) or the sample function failed
/// in a way that is not a data problem.</summary>
public sealed class SampleLoaderException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Batches of samples built by worker threads with bounded prefetch. Deterministic for a seed whatever the worker
/// count: sample i of epoch e is built from <c>new Random(SampleSeeds.Derive(seed, e, i, attempt))</c>, batch b holds
/// samples b·N .. b·N+N−1 in order, and batches come out in order. A draw that throws is logged (with the sequence
/// and frame of a <see cref="FrameReadException"/>), recorded in <see cref="Failures"/> and replaced by a redraw with
/// the next attempt's seed; after <see cref="LoaderOptions.MaxConsecutiveFailures"/> corrupt draws of one sample the
/// epoch fails with <see cref="SampleLoaderException"/>. Samples are never dropped: every epoch has its full length.
/// Tensors made while building a sample are disposed by a dispose scope; the batch tensors belong to the caller.
/// </summary>
public sealed class SampleLoader<TSample> where TSample : class, ITensorSample
{
    private readonly SampleFunction<TSample> _sample;
    private readonly ILogger _logger;
    private readonly List<SampleFailure> _failures = [];

    public SampleLoader(SampleFunction<TSample> sample, LoaderOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(sample);
        options.Validate();
        _sample = sample;
        Options = options;
        _logger = logger ?? NullLogger.Instance;
    }

    public LoaderOptions Options { get; }

    public int BatchesPerEpoch => (Options.EpochLength + Options.BatchSize - 1) / Options.BatchSize;

    /// <summary>Every corrupt draw logged so far, in the order they happened (thread order, not index order).</summary>
    public IReadOnlyList<SampleFailure> Failures
    {
        get { lock (_failures) return _failures.ToArray(); }
    }

    /// <summary>
    /// The batches of <paramref name="epoch"/>, in order. Workers start on enumeration and stop when the enumeration
    /// ends or is abandoned (disposing the enumerator stops them and disposes batches not handed out).
    /// </summary>
    public IEnumerable<TensorBatch> Epoch(int epoch, CancellationToken cancellation = default) => Epoch(epoch, 0, cancellation);

    /// <summary>
    /// The batches of <paramref name="epoch"/> from <paramref name="firstBatch"/> on, in order: what a training run
    /// resumed in the middle of an epoch needs (batch b is the same whichever batch the enumeration starts at).
    /// </summary>
    public IEnumerable<TensorBatch> Epoch(int epoch, int firstBatch, CancellationToken cancellation = default)
    {
        int batches = BatchesPerEpoch;
        if (firstBatch < 0 || firstBatch > batches)
            throw new ArgumentOutOfRangeException(nameof(firstBatch), firstBatch, $"an epoch has {batches} batches");
        return EpochFrom(epoch, firstBatch, cancellation);
    }

    private IEnumerable<TensorBatch> EpochFrom(int epoch, int firstBatch, CancellationToken cancellation)
    {
        int batches = BatchesPerEpoch;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var token = cts.Token;
        var results = Channel.CreateUnbounded<(int Batch, TensorBatch? Value, Exception? Error)>(
            new UnboundedChannelOptions { SingleReader = true });
        using var slots = new SemaphoreSlim(Options.Prefetch);
        int next = firstBatch - 1, running = Options.Workers;
        var threads = new Thread[Options.Workers];
        for (int w = 0; w < threads.Length; w++)
        {
            threads[w] = new Thread(() =>
            {
                try
                {
                    while (!token.IsCancellationRequested)
                    {
                        try { slots.Wait(token); }
                        catch (OperationCanceledException) { break; }
                        int b = Interlocked.Increment(ref next);
                        if (b >= batches) break;
                        TensorBatch? batch = null;
                        Exception? error = null;
                        try { batch = BuildBatch(epoch, b, token); }
                        catch (OperationCanceledException) when (token.IsCancellationRequested) { break; }
                        catch (Exception e) { error = e; }
                        if (!results.Writer.TryWrite((b, batch, error))) batch?.Dispose();
                        if (error is not null) break;
                    }
                }
                finally
                {
                    if (Interlocked.Decrement(ref running) == 0) results.Writer.TryComplete();
                }
            }) { IsBackground = true, Name = $"loader-worker-{w}" };
            threads[w].Start();
        }

        var pending = new Dictionary<int, TensorBatch>();
        try
        {
            for (int expected = firstBatch; expected < batches; expected++)
            {
                TensorBatch? ready;
                while (!pending.Remove(expected, out ready))
                {
                    if (!WaitToRead(results.Reader, token))
                        throw new SampleLoaderException($"epoch {epoch}: the workers stopped before batch {expected}");
                    while (results.Reader.TryRead(out var item))
                    {
                        if (item.Error is not null)
                            throw item.Error as SampleLoaderException
                                  ?? new SampleLoaderException($"epoch {epoch}, batch {item.Batch}: {item.Error.Message}", item.Error);
                        pending[item.Batch] = item.Value!;
                    }
                }
                slots.Release();
                yield return ready!;
            }
        }
        finally
        {
            cts.Cancel();
            foreach (var t in threads) t.Join();
            foreach (var b in pending.Values) b.Dispose();
            while (results.Reader.TryRead(out var item)) item.Value?.Dispose();
        }
    }

    private static bool WaitToRead<T>(ChannelReader<T> reader, CancellationToken token)
    {
        var wait = reader.WaitToReadAsync(token);
        return wait.IsCompleted ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Builds batch <paramref name="batch"/> of an epoch on the calling thread (what the workers run).</summary>
    public TensorBatch BuildBatch(int epoch, int batch, CancellationToken cancellation = default)
    {
        int first = batch * Options.BatchSize;
        int count = Math.Min(Options.BatchSize, Options.EpochLength - first);
        if (batch < 0 || count < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, $"epoch has {BatchesPerEpoch} batches");
        var samples = new List<TSample>(count);
        try
        {
            for (int i = first; i < first + count; i++)
            {
                cancellation.ThrowIfCancellationRequested();
                samples.Add(BuildSample(epoch, i));
            }
            return TensorBatch.Collate(samples, epoch, batch, Enumerable.Range(first, count).ToArray());
        }
        finally
        {
            foreach (var s in samples) s.Dispose();
        }
    }

    /// <summary>Sample <paramref name="index"/> of <paramref name="epoch"/>, redrawn until valid (what the workers run).</summary>
    public TSample BuildSample(int epoch, int index)
    {
        int failures = 0, invalid = 0;
        Exception? last = null;
        for (int attempt = 0; ; attempt++)
        {
            var context = new SampleContext(index, epoch, attempt,
                new Random(SampleSeeds.Derive(Options.Seed, epoch, index, attempt)));
            TSample? sample;
            using (var scope = torch.NewDisposeScope())
            {
                try
                {
                    sample = _sample(context);
                }
                catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
                {
                    failures++;
                    last = e;
                    var fre = e as FrameReadException ?? e.InnerException as FrameReadException;
                    var failure = new SampleFailure(epoch, index, attempt, fre?.Sequence, fre?.Frame, e.Message);
                    lock (_failures) _failures.Add(failure);
                    if (fre is not null)
                        _logger.LogWarning("corrupt sample {Index} of epoch {Epoch} (attempt {Attempt}): sequence '{Sequence}', frame {Frame}: {Message}; redrawing",
                            index, epoch, attempt, fre.Sequence, fre.Frame, e.Message);
                    else
                        _logger.LogWarning("corrupt sample {Index} of epoch {Epoch} (attempt {Attempt}): {Message}; redrawing",
                            index, epoch, attempt, e.Message);
                    if (failures >= Options.MaxConsecutiveFailures)
                        throw new SampleLoaderException(
                            $"sample {index} of epoch {epoch}: {failures} consecutive draws failed (limit {Options.MaxConsecutiveFailures}); " +
                            $"last: {e.Message}", e);
                    continue;
                }
                if (sample is not null)
                    foreach (var (_, t) in sample.NamedTensors) t.DetachFromDisposeScope();
            }
            if (sample is not null) return sample;
            failures = 0;
            if (++invalid >= Options.MaxInvalidDraws)
                throw new SampleLoaderException(
                    $"sample {index} of epoch {epoch}: {invalid} draws in a row were rejected by the processing " +
                    $"(limit {Options.MaxInvalidDraws}); check the boxes and the crop settings" +
                    (last is null ? "" : $"; last error: {last.Message}"));
        }
    }
}
