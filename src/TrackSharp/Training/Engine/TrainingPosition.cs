namespace TrackSharp.Training.Engine;

/// <summary>Where an iteration sits in a run: 0-based epoch and iteration, and the global step
/// <c>Iteration + Epoch · IterationsPerEpoch</c> (video_analyst's TensorBoard step).</summary>
public readonly record struct TrainingPosition(int Epoch, int Iteration, int IterationsPerEpoch)
{
    public long GlobalStep => Iteration + (long)Epoch * IterationsPerEpoch;

    /// <summary>The position after this one finished.</summary>
    public TrainingPosition Next() => Iteration + 1 < IterationsPerEpoch
        ? this with { Iteration = Iteration + 1 }
        : this with { Epoch = Epoch + 1, Iteration = 0 };

    /// <summary>The position with <paramref name="stepsDone"/> iterations done.</summary>
    public static TrainingPosition FromStep(long stepsDone, int iterationsPerEpoch) =>
        new((int)(stepsDone / iterationsPerEpoch), (int)(stepsDone % iterationsPerEpoch), iterationsPerEpoch);
}
