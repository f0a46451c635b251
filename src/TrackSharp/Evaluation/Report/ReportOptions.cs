using TrackSharp.Data.Datasets;

namespace TrackSharp.Evaluation.Report;

/// <summary>The benchmarks <c>tracksharp report --dataset</c> knows; each maps to a <see cref="DatasetFormat"/> reader.</summary>
public enum ReportBenchmark
{
    Otb,
    Uav123,
    Dtb70,
    /// <summary>VOT sequences evaluated one-pass (OPE) on the polygons' bounding boxes; the reset-based VOT
    /// protocol (A/R/EAO) is not part of the report.</summary>
    Vot,
    Lasot,
    /// <summary>GOT-10k val (<c>list.txt</c> + sequence folders with <c>cover.label</c> and <c>meta_info.ini</c>).</summary>
    Got10kVal,
    Custom,
}

/// <summary>Which official toolkit's rules the report's numbers follow (see METRICS.md for each).</summary>
public enum ReportConvention
{
    /// <summary>pysot <c>OPEBenchmark</c>: own row 0 evaluated, length mismatch refused, invalid GT centre = precision success.</summary>
    Pysot,
    /// <summary>pytracking <c>extract_results</c> (float32, row 0 := GT, NaN / negative results refused, short results zero-padded).</summary>
    Pytracking,
    /// <summary>OSTrack <c>lib/test/analysis</c>: pytracking's rules with OSTrack's GT validity (w, h &gt; 0 only).</summary>
    OSTrack,
    /// <summary>GOT-10k toolkit: <c>ExperimentOTB/UAV123/LaSOT.report</c> for OPE datasets, <c>ExperimentGOT10k.report</c> for GOT-10k val.</summary>
    Got10k,
}

/// <summary>Parsing and defaults of the report options.</summary>
public static class ReportOptions
{
    /// <summary>Names accepted by <c>--dataset</c>.</summary>
    public static IReadOnlyList<string> BenchmarkNames { get; } = ["otb", "uav123", "dtb70", "vot", "lasot", "got10k-val", "custom"];

    /// <summary>Names accepted by <c>--convention</c>.</summary>
    public static IReadOnlyList<string> ConventionNames { get; } = ["pysot", "pytracking", "ostrack", "got10k"];

    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static ReportBenchmark ParseBenchmark(string name) =>
        name.Trim().ToLowerInvariant().Replace("_", "-") switch
        {
            "otb" or "otb100" or "otb2015" => ReportBenchmark.Otb,
            "uav123" or "uav" or "uav123-10fps" => ReportBenchmark.Uav123,
            "dtb70" => ReportBenchmark.Dtb70,
            "vot" => ReportBenchmark.Vot,
            "lasot" => ReportBenchmark.Lasot,
            "got10k-val" or "got-10k-val" or "got10k" => ReportBenchmark.Got10kVal,
            "custom" => ReportBenchmark.Custom,
            _ => throw new ArgumentException($"unknown dataset '{name}'; known: {string.Join(", ", BenchmarkNames)}"),
        };

    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static ReportConvention ParseConvention(string name) =>
        name.Trim().ToLowerInvariant() switch
        {
            "pysot" => ReportConvention.Pysot,
            "pytracking" => ReportConvention.Pytracking,
            "ostrack" or "stark" => ReportConvention.OSTrack,
            "got10k" or "got-10k" => ReportConvention.Got10k,
            _ => throw new ArgumentException($"unknown convention '{name}'; known: {string.Join(", ", ConventionNames)}"),
        };

    /// <summary>
    /// The default convention of a benchmark: pysot for OTB, UAV123, DTB70, VOT (OPE) and custom data (the toolkit
    /// SiamBAN/NanoTrack publish with), pytracking for LaSOT (the analysis code TrDiMP and OSTrack publish LaSOT
    /// with; its visibility rules use LaSOT's occlusion flags), GOT-10k for GOT-10k val (the evaluation server's code).
    /// </summary>
    public static ReportConvention DefaultConvention(ReportBenchmark benchmark) => benchmark switch
    {
        ReportBenchmark.Lasot => ReportConvention.Pytracking,
        ReportBenchmark.Got10kVal => ReportConvention.Got10k,
        _ => ReportConvention.Pysot,
    };

    /// <summary>The dataset reader layout of a benchmark.</summary>
    public static DatasetFormat Format(ReportBenchmark benchmark) => benchmark switch
    {
        ReportBenchmark.Otb => DatasetFormat.Otb,
        ReportBenchmark.Uav123 => DatasetFormat.Uav123,
        ReportBenchmark.Dtb70 => DatasetFormat.Dtb70,
        ReportBenchmark.Vot => DatasetFormat.Vot,
        ReportBenchmark.Lasot => DatasetFormat.Lasot,
        ReportBenchmark.Got10kVal => DatasetFormat.Got10k,
        _ => DatasetFormat.Custom,
    };

    public static string Name(ReportBenchmark b) => BenchmarkNames[(int)b];

    public static string Name(ReportConvention c) => ConventionNames[(int)c];
}
