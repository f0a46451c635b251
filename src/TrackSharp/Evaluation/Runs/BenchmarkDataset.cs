using TrackSharp.Data.Datasets;

namespace TrackSharp.Evaluation.Runs;

/// <summary>
/// A benchmark as named on the <c>eval</c> command line: the dataset layout to read and what the one-pass run
/// writes and evaluates for it. <see cref="WritesGot10kLayout"/>: the results are also written in the GOT-10k
/// toolkit's layout (three repetitions unless the tracker is deterministic); <see cref="UsesVisibility"/>: pysot's LaSOT
/// rule (frames whose target is absent or fully occluded leave the numerator, not the denominator);
/// <see cref="WritesTrackingNetSubmission"/> / <see cref="WritesGot10kSubmission"/>: the results are also packed as the
/// TrackingNet / GOT-10k evaluation server's zip.
/// The test splits (got10k-test, trackingnet TEST) give the first box only: they are scored by their servers, not here.
/// </summary>
public sealed record BenchmarkDataset(string Name, DatasetFormat Format, bool WritesGot10kLayout = false, bool UsesVisibility = false,
    bool WritesTrackingNetSubmission = false, bool WritesGot10kSubmission = false)
{
    /// <summary>Every benchmark name <see cref="Parse"/> accepts, in the order the help lists them.</summary>
    public static IReadOnlyList<BenchmarkDataset> All { get; } =
    [
        new("otb", DatasetFormat.Otb),
        new("uav123", DatasetFormat.Uav123),
        new("dtb70", DatasetFormat.Dtb70),
        new("vot", DatasetFormat.Vot),
        new("got10k-val", DatasetFormat.Got10k, WritesGot10kLayout: true),
        new("got10k-test", DatasetFormat.Got10k, WritesGot10kLayout: true, WritesGot10kSubmission: true),
        new("trackingnet", DatasetFormat.TrackingNet, WritesTrackingNetSubmission: true),
        new("lasot", DatasetFormat.Lasot, UsesVisibility: true),
        new("custom", DatasetFormat.Custom),
    ];

    /// <summary>Parses a benchmark name, case-insensitively.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static BenchmarkDataset Parse(string name)
    {
        string n = name.Trim();
        return All.FirstOrDefault(d => string.Equals(d.Name, n, StringComparison.OrdinalIgnoreCase))
               ?? throw new ArgumentException(
                   $"unknown dataset '{name}'; known datasets: {string.Join(", ", All.Select(d => d.Name))}");
    }
}
