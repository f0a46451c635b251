namespace TrackSharp.Evaluation.Runs;

/// <summary>
/// Where a one-pass run's result files go, the layouts the pysot and pytracking toolkits read:
/// <c>ROOT/&lt;tracker&gt;/&lt;seq&gt;.txt</c> (boxes) and <c>ROOT/&lt;tracker&gt;/times/&lt;seq&gt;_time.txt</c>
/// (seconds per frame); for GOT-10k also the GOT-10k toolkit's
/// <c>ROOT/&lt;tracker&gt;/&lt;seq&gt;/&lt;seq&gt;_001.txt</c> (.. <c>_003.txt</c>, one per repetition) and
/// <c>&lt;seq&gt;_time.txt</c> (one column per repetition); the submission zips <c>ROOT/&lt;tracker&gt;_trackingnet.zip</c>
/// and <c>ROOT/&lt;tracker&gt;_got10k.zip</c> (test split).
/// </summary>
public sealed record OpeResultLayout(string Root, string Tracker)
{
    /// <summary><c>ROOT/&lt;tracker&gt;</c>.</summary>
    public string TrackerFolder => Path.Combine(Root, Tracker);

    /// <summary><c>ROOT/&lt;tracker&gt;/&lt;seq&gt;.txt</c>: one <c>x,y,w,h</c> per frame, the init box first.</summary>
    public string BoxFile(string sequence) => Path.Combine(TrackerFolder, sequence + ".txt");

    /// <summary><c>ROOT/&lt;tracker&gt;/times/&lt;seq&gt;_time.txt</c>: seconds per frame.</summary>
    public string TimeFile(string sequence) => Path.Combine(TrackerFolder, "times", sequence + "_time.txt");

    /// <summary>GOT-10k toolkit: <c>ROOT/&lt;tracker&gt;/&lt;seq&gt;/&lt;seq&gt;_00r.txt</c> (repetition r, from 1).</summary>
    public string Got10kBoxFile(string sequence, int repetition = 1) =>
        Path.Combine(TrackerFolder, sequence, Path.GetFileName(sequence) + $"_{repetition:D3}.txt");

    /// <summary>GOT-10k toolkit: <c>ROOT/&lt;tracker&gt;/&lt;seq&gt;/&lt;seq&gt;_time.txt</c>.</summary>
    public string Got10kTimeFile(string sequence) =>
        Path.Combine(TrackerFolder, sequence, Path.GetFileName(sequence) + "_time.txt");

    /// <summary>TrackingNet: the zip the evaluation server takes, <c>ROOT/&lt;tracker&gt;_trackingnet.zip</c>.</summary>
    public string TrackingNetSubmission => Path.Combine(Root, Tracker + "_trackingnet.zip");

    /// <summary>GOT-10k test split: the zip the evaluation server takes, <c>ROOT/&lt;tracker&gt;_got10k.zip</c>.</summary>
    public string Got10kSubmission => Path.Combine(Root, Tracker + "_got10k.zip");

    /// <summary>The files a finished sequence has (<paramref name="repetitions"/> GOT-10k box files when <paramref name="got10k"/>).</summary>
    public IReadOnlyList<string> FilesOf(string sequence, bool got10k, int repetitions = 1) =>
        got10k
            ? [BoxFile(sequence), TimeFile(sequence), .. Enumerable.Range(1, repetitions).Select(r => Got10kBoxFile(sequence, r)),
                Got10kTimeFile(sequence)]
            : [BoxFile(sequence), TimeFile(sequence)];
}
