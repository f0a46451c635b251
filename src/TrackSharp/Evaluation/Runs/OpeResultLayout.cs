namespace TrackSharp.Evaluation.Runs;

/// <summary>
/// Where a one-pass run's result files go, the layouts the pysot and pytracking toolkits read:
/// <c>ROOT/&lt;tracker&gt;/&lt;seq&gt;.txt</c> (boxes) and <c>ROOT/&lt;tracker&gt;/times/&lt;seq&gt;_time.txt</c>
/// (seconds per frame); for GOT-10k also the GOT-10k toolkit's
/// <c>ROOT/&lt;tracker&gt;/&lt;seq&gt;/&lt;seq&gt;_001.txt</c> and <c>&lt;seq&gt;_time.txt</c>.
/// </summary>
public sealed record OpeResultLayout(string Root, string Tracker)
{
    /// <summary><c>ROOT/&lt;tracker&gt;</c>.</summary>
    public string TrackerFolder => Path.Combine(Root, Tracker);

    /// <summary><c>ROOT/&lt;tracker&gt;/&lt;seq&gt;.txt</c>: one <c>x,y,w,h</c> per frame, the init box first.</summary>
    public string BoxFile(string sequence) => Path.Combine(TrackerFolder, sequence + ".txt");

    /// <summary><c>ROOT/&lt;tracker&gt;/times/&lt;seq&gt;_time.txt</c>: seconds per frame.</summary>
    public string TimeFile(string sequence) => Path.Combine(TrackerFolder, "times", sequence + "_time.txt");

    /// <summary>GOT-10k toolkit: <c>ROOT/&lt;tracker&gt;/&lt;seq&gt;/&lt;seq&gt;_001.txt</c> (repetition 1).</summary>
    public string Got10kBoxFile(string sequence) =>
        Path.Combine(TrackerFolder, sequence, Path.GetFileName(sequence) + "_001.txt");

    /// <summary>GOT-10k toolkit: <c>ROOT/&lt;tracker&gt;/&lt;seq&gt;/&lt;seq&gt;_time.txt</c>.</summary>
    public string Got10kTimeFile(string sequence) =>
        Path.Combine(TrackerFolder, sequence, Path.GetFileName(sequence) + "_time.txt");

    /// <summary>The files a finished sequence has.</summary>
    public IReadOnlyList<string> FilesOf(string sequence, bool got10k) =>
        got10k
            ? [BoxFile(sequence), TimeFile(sequence), Got10kBoxFile(sequence), Got10kTimeFile(sequence)]
            : [BoxFile(sequence), TimeFile(sequence)];
}
