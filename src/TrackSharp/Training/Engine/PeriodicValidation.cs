using System.Diagnostics;
using System.Globalization;
using TrackSharp.Data.Loading;
using TrackSharp.Training.Monitoring;
using static TorchSharp.torch;

namespace TrackSharp.Training.Engine;

/// <summary>
/// ltr's periodic validation (<c>LTRTrainer.train_epoch</c> runs a loader whose <c>epoch % epoch_interval == 0</c>), shared
/// by the ltr-style family tasks so that each keeps only its own per-batch forward: after every <see cref="Interval"/>-th
/// (1-based) epoch the whole validation loader's epoch runs in eval mode without gradients, each batch's statistics are
/// averaged in the order they first appear (ltr's <c>AverageMeter</c>s, equal batch sizes) and handed to
/// <see cref="Validated"/>.
/// <para>
/// Tasks call <see cref="RunIfDue"/> at the start of the next epoch (after the finished epoch's checkpoint) and once
/// after the last epoch. The validated epoch travels in the checkpoint's JSON under <see cref="CheckpointKey"/>
/// (<see cref="CheckpointValues"/> / <see cref="Restore"/>) so a resumed run neither repeats nor skips a pass. A pass
/// draws only from its own loader and restores training mode, so it changes no training state.
/// </para>
/// </summary>
/// <typeparam name="TSample">The validation loader's sample type.</typeparam>
public sealed class PeriodicValidation<TSample> where TSample : class, ITensorSample
{
    /// <summary>The checkpoint JSON value holding the 1-based epoch validated last.</summary>
    public const string CheckpointKey = "validated_epoch";

    /// <summary>The statistic reported as the "total" loss of each <see cref="BatchValidated"/> report (ltr's name).</summary>
    public const string TotalStatKey = "Loss/total";

    private readonly SampleLoader<TSample>? _loader;
    private readonly Func<TensorBatch, int, IReadOnlyList<KeyValuePair<string, double>>> _validateBatch;
    private readonly Action<bool> _setTrainingMode;

    /// <param name="loader">Validation batches, or null when validation is off (then nothing ever runs).</param>
    /// <param name="interval">Validate after every this many epochs (values below 1 count as 1).</param>
    /// <param name="validateBatch">The family's eval forward of one loader batch at a 1-based epoch, returning the
    /// batch's statistics (plain numbers). It runs inside a dispose scope, under <c>no_grad</c>, in eval mode; the batch
    /// is disposed after it returns.</param>
    /// <param name="setTrainingMode">Switches the network between training (true) and eval (false) mode, e.g. a
    /// network's own <c>train</c> override that keeps frozen layers in eval mode.</param>
    public PeriodicValidation(SampleLoader<TSample>? loader, int interval,
        Func<TensorBatch, int, IReadOnlyList<KeyValuePair<string, double>>> validateBatch, Action<bool> setTrainingMode)
    {
        _loader = loader;
        Interval = Math.Max(1, interval);
        _validateBatch = validateBatch ?? throw new ArgumentNullException(nameof(validateBatch));
        _setTrainingMode = setTrainingMode ?? throw new ArgumentNullException(nameof(setTrainingMode));
    }

    /// <summary>Epochs between passes.</summary>
    public int Interval { get; }

    /// <summary>Whether a validation loader was given.</summary>
    public bool Enabled => _loader is not null;

    /// <summary>The 1-based epoch validated last (0: none).</summary>
    public int ValidatedEpoch { get; private set; }

    /// <summary>Receives every validation batch as a report (0-based epoch of the pass, 0-based batch, the statistics
    /// under "stats", <see cref="TotalStatKey"/> as the "total" loss, data and forward seconds): feed it to an
    /// <see cref="LtrTextMonitor"/> named "val" for ltr's <c>[val: N, i / n]</c> lines.</summary>
    public Action<IterationReport>? BatchValidated { get; set; }

    /// <summary>Receives each finished pass: (1-based epoch, the statistics' means over its batches, in first-seen
    /// order). Not called for a pass without batches.</summary>
    public Action<int, IReadOnlyList<KeyValuePair<string, double>>>? Validated { get; set; }

    /// <summary>Whether (1-based) epoch <paramref name="epochsDone"/> is a validation epoch not validated yet.</summary>
    public bool IsDue(int epochsDone) =>
        _loader is not null && epochsDone >= 1 && epochsDone % Interval == 0 && epochsDone > ValidatedEpoch;

    /// <summary>Validates after (1-based) epoch <paramref name="epochsDone"/> when <see cref="IsDue"/>, on the loader's
    /// epoch <c>epochsDone - 1</c>; leaves the network in training mode. Returns whether a pass ran.</summary>
    public bool RunIfDue(int epochsDone)
    {
        if (!IsDue(epochsDone)) return false;
        ValidatedEpoch = epochsDone;
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        var order = new List<string>();
        int n = 0, total = _loader!.BatchesPerEpoch;
        _setTrainingMode(false);
        try
        {
            using var noGrad = no_grad();
            var clock = Stopwatch.StartNew();
            foreach (var batch in _loader.Epoch(epochsDone - 1))
            {
                double dataSeconds = clock.Elapsed.TotalSeconds;
                clock.Restart();
                IReadOnlyList<KeyValuePair<string, double>> stats;
                using (var scope = NewDisposeScope())
                using (batch)
                    stats = _validateBatch(batch, epochsDone);
                double forwardSeconds = clock.Elapsed.TotalSeconds;
                foreach (var (k, v) in stats)
                {
                    if (!sums.ContainsKey(k)) order.Add(k);
                    sums[k] = sums.GetValueOrDefault(k) + v;
                }
                BatchValidated?.Invoke(new IterationReport(epochsDone - 1, epochsDone, n, total, n, [],
                    [new("total", stats.FirstOrDefault(s => s.Key == TotalStatKey).Value)], [new("stats", stats)],
                    [new(PhaseTimer.Data, dataSeconds), new(PhaseTimer.Forward, forwardSeconds)], 0));
                n++;
                clock.Restart();
            }
        }
        finally
        {
            _setTrainingMode(true);
        }
        if (n > 0) Validated?.Invoke(epochsDone, order.Select(k => new KeyValuePair<string, double>(k, sums[k] / n)).ToList());
        return true;
    }

    /// <summary>The checkpoint JSON values: <see cref="CheckpointKey"/> = <see cref="ValidatedEpoch"/>.</summary>
    public IReadOnlyDictionary<string, string> CheckpointValues() =>
        new Dictionary<string, string> { [CheckpointKey] = ValidatedEpoch.ToString(CultureInfo.InvariantCulture) };

    /// <summary>Takes <see cref="ValidatedEpoch"/> from a resumed checkpoint's values (kept when the value is absent or
    /// not an integer, as in checkpoints written before validation existed).</summary>
    public void Restore(TrainerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Values.TryGetValue(CheckpointKey, out var v) && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int e))
            ValidatedEpoch = e;
    }
}
