using System.Text.RegularExpressions;

namespace TrackSharp.Training.Schedules;

/// <summary>How the learning rate moves from the start to the end value inside one phase.</summary>
public enum LrPhaseShape
{
    /// <summary><c>f(x) = x</c> (videoanalyst <c>LinearLR</c>).</summary>
    Linear,

    /// <summary><c>f(x) = (1 − cos(π·x)) / 2</c> (videoanalyst <c>CosineLR</c>).</summary>
    Cosine,
}

/// <summary>One phase of a <see cref="MultiStageLrSchedule"/>: <paramref name="Epochs"/> epochs from
/// <paramref name="StartLr"/> to <paramref name="EndLr"/>.</summary>
public sealed record LrPhase(LrPhaseShape Shape, double StartLr, double EndLr, int Epochs)
{
    public static LrPhase Linear(double startLr, double endLr, int epochs) => new(LrPhaseShape.Linear, startLr, endLr, epochs);
    public static LrPhase Cosine(double startLr, double endLr, int epochs) => new(LrPhaseShape.Cosine, startLr, endLr, epochs);
}

/// <summary>A parameter group's learning-rate ratio: parameters whose name matches <paramref name="Regex"/>
/// (unanchored search, like Python's <c>re.search</c>) train at <c>lr · Ratio</c>.</summary>
public sealed record LrMultiplier(string Name, string Regex, double Ratio)
{
    private readonly Regex _regex = new(Regex, RegexOptions.CultureInvariant);

    public bool Matches(string parameterName) => _regex.IsMatch(parameterName);
}

/// <summary>
/// A per-iteration learning-rate policy made of consecutive phases (videoanalyst's <c>ListLR</c> of
/// <c>LinearLR</c> / <c>CosineLR</c>, e.g. SiamFC++'s linear warm-up then cosine decay). The epoch selects
/// the phase; inside a phase with E epochs and phase-LOCAL epoch e the value is
/// <c>start + (end − start) · f((e·I + it) / (E·I))</c> with I iterations per epoch, so the first iteration
/// of a phase is exactly its start value and the last iteration of an epoch is not the first of the next.
/// Epochs past the last phase give the last phase's end value. All arithmetic in float64.
/// </summary>
public sealed class MultiStageLrSchedule
{
    public IReadOnlyList<LrPhase> Phases { get; }
    public int IterationsPerEpoch { get; }

    /// <summary>Total epochs over all phases.</summary>
    public int Epochs { get; }

    public MultiStageLrSchedule(IEnumerable<LrPhase> phases, int iterationsPerEpoch)
    {
        Phases = phases.ToArray();
        if (Phases.Count == 0) throw new ArgumentException("an LR schedule needs at least one phase", nameof(phases));
        if (iterationsPerEpoch <= 0)
            throw new ArgumentOutOfRangeException(nameof(iterationsPerEpoch), $"iterations per epoch must be positive, got {iterationsPerEpoch}");
        foreach (var p in Phases)
            if (p.Epochs <= 0) throw new ArgumentException($"LR phase {p} must last at least one epoch", nameof(phases));
        IterationsPerEpoch = iterationsPerEpoch;
        Epochs = Phases.Sum(p => p.Epochs);
    }

    /// <summary>SiamFC++'s published policy: linear 1e-6 → 0.08 for 1 epoch, then cosine 0.08 → 1e-6 for 19,
    /// at <c>nr_image_per_epoch / minibatch</c> = 400000 / 32 = 12500 iterations per epoch.</summary>
    public static MultiStageLrSchedule SiamFCppAlexNet(int iterationsPerEpoch = 400000 / 32) =>
        new(new[] { LrPhase.Linear(1e-6, 0.08, 1), LrPhase.Cosine(0.08, 1e-6, 19) }, iterationsPerEpoch);

    /// <summary>The learning rate at <paramref name="epoch"/> (0-based, global) and
    /// <paramref name="iteration"/> (0-based, inside the epoch).</summary>
    public double LearningRate(int epoch, int iteration)
    {
        if (epoch < 0) throw new ArgumentOutOfRangeException(nameof(epoch), $"epoch must be >= 0, got {epoch}");
        if (iteration < 0 || iteration >= IterationsPerEpoch)
            throw new ArgumentOutOfRangeException(nameof(iteration), $"iteration must be in [0, {IterationsPerEpoch}), got {iteration}");
        int local = epoch;
        foreach (var phase in Phases)
        {
            if (local < phase.Epochs)
            {
                double progress = ((double)local * IterationsPerEpoch + iteration) / ((double)phase.Epochs * IterationsPerEpoch);
                double f = phase.Shape == LrPhaseShape.Linear ? progress : (1 - Math.Cos(Math.PI * progress)) / 2;
                return phase.StartLr + (phase.EndLr - phase.StartLr) * f;
            }
            local -= phase.Epochs;
        }
        return Phases[^1].EndLr;
    }

    /// <summary>The learning rate of each parameter group: the policy value times the group's ratio.</summary>
    public double[] GroupLearningRates(int epoch, int iteration, IReadOnlyList<LrMultiplier> multipliers)
    {
        double lr = LearningRate(epoch, iteration);
        return multipliers.Select(m => lr * m.Ratio).ToArray();
    }
}
