namespace TrackSharp.Evaluation.Vot;

/// <summary>
/// VOT trajectory text files: ground truth (<c>groundtruth.txt</c>) and baseline results
/// (<c>results/&lt;dataset&gt;/&lt;tracker&gt;/baseline/&lt;seq&gt;/&lt;seq&gt;_001.txt</c>), one comma-separated region per line
/// (codes <c>1</c>, <c>2</c>, <c>0</c> or 4/8 values), read as pysot's <c>VOTVideo.load_tracker</c> reads them.
/// </summary>
public static class VotTrajectoryFile
{
    /// <summary>pysot reads all repetition files only when there are exactly this many, otherwise the first one.</summary>
    public const int FullRepetitionCount = 15;

    /// <summary>Reads one trajectory; a malformed line fails with the file and line number.</summary>
    public static IReadOnlyList<VotRegion> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"VOT trajectory file not found: {path}", path);
        var lines = File.ReadAllLines(path);
        int count = lines.Length;
        while (count > 0 && lines[count - 1].Trim().Length == 0) count--; // a trailing newline is not a frame
        var regions = new VotRegion[count];
        for (int i = 0; i < count; i++) regions[i] = VotRegion.Parse(lines[i], $"{path}:{i + 1}");
        return regions;
    }

    /// <summary>
    /// The repetitions of one tracker on one sequence, pysot <c>VOTVideo.load_tracker</c>: the files
    /// <c>&lt;seq&gt;_NNN.txt</c> in <c>&lt;resultsDir&gt;/&lt;tracker&gt;/baseline/&lt;seq&gt;/</c>; all of them if there are exactly 15,
    /// else only the first. pysot globs <c>*0*.txt</c> and takes the first in directory order; here the repetition files
    /// are matched by name and sorted, so "first" is <c>_001</c> (and a <c>_time.txt</c> file is never read as a trajectory).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<VotRegion>> ReadRepetitions(string resultsDir, string tracker, string sequence)
    {
        string dir = Path.Combine(resultsDir, tracker, "baseline", sequence);
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"No VOT results for {tracker}/{sequence}: {dir}");
        var files = Directory.EnumerateFiles(dir, sequence + "_*.txt")
            .Where(f => IsRepetitionFile(Path.GetFileName(f), sequence))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0) throw new FileNotFoundException($"No {sequence}_NNN.txt result file in {dir}");
        if (files.Count != FullRepetitionCount) files = files.Take(1).ToList();
        return files.Select(Read).ToList();
    }

    private static bool IsRepetitionFile(string fileName, string sequence)
    {
        string middle = fileName[(sequence.Length + 1)..^4];
        return middle.Length > 0 && middle.All(char.IsAsciiDigit);
    }
}
