namespace TrackSharp.Evaluation.Vot;

/// <summary>One tracker's baseline results on one sequence: one trajectory per repetition (pysot <c>pred_trajs[tracker]</c>).</summary>
public sealed record VotTrackerRun(VotSequence Sequence, IReadOnlyList<IReadOnlyList<VotRegion>> Repetitions)
{
    /// <summary>Reads the repetitions of <paramref name="tracker"/> on <paramref name="sequence"/> from a results folder (e.g. <c>results/VOT2018</c>).</summary>
    public static VotTrackerRun Load(string resultsDir, string tracker, VotSequence sequence) =>
        new(sequence, VotTrajectoryFile.ReadRepetitions(resultsDir, tracker, sequence.Name));
}
