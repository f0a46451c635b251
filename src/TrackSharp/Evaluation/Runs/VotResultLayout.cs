namespace TrackSharp.Evaluation.Runs;

/// <summary>
/// Where a VOT reset-based (baseline) run's result files go, the layout pysot's <c>VOTDataset</c> and the GOT-10k
/// toolkit read: <c>ROOT/&lt;tracker&gt;/baseline/&lt;seq&gt;/&lt;seq&gt;_001.txt</c> (one VOT region a line: the codes
/// <c>1</c>, <c>2</c>, <c>0</c> or a box <c>x,y,w,h</c>) and <c>&lt;seq&gt;_time.txt</c> (seconds per frame) next to it.
/// </summary>
public sealed record VotResultLayout(string Root, string Tracker)
{
    /// <summary><c>ROOT/&lt;tracker&gt;</c>; the results folder pysot's VOT benchmarks read is <see cref="Root"/>.</summary>
    public string TrackerFolder => Path.Combine(Root, Tracker);

    /// <summary><c>ROOT/&lt;tracker&gt;/baseline/&lt;seq&gt;</c>.</summary>
    public string SequenceFolder(string sequence) => Path.Combine(TrackerFolder, "baseline", sequence);

    /// <summary><c>ROOT/&lt;tracker&gt;/baseline/&lt;seq&gt;/&lt;seq&gt;_001.txt</c> (repetition 1).</summary>
    public string TrajectoryFile(string sequence) =>
        Path.Combine(SequenceFolder(sequence), Path.GetFileName(sequence) + "_001.txt");

    /// <summary><c>ROOT/&lt;tracker&gt;/baseline/&lt;seq&gt;/&lt;seq&gt;_time.txt</c>.</summary>
    public string TimeFile(string sequence) =>
        Path.Combine(SequenceFolder(sequence), Path.GetFileName(sequence) + "_time.txt");

    /// <summary>The files a finished sequence has.</summary>
    public IReadOnlyList<string> FilesOf(string sequence) => [TrajectoryFile(sequence), TimeFile(sequence)];
}
