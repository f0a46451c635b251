namespace TrackSharp.Data.Datasets;

/// <summary>How serious a finding of the dataset checker is.</summary>
public enum ProblemSeverity
{
    /// <summary>Worth knowing, but the dataset's own convention (e.g. OTB Diving: 231 images, 215 annotated frames).</summary>
    Info,

    /// <summary>Something is wrong with the data: a missing or unreadable frame, a malformed line, a negative size.</summary>
    Problem,
}

/// <summary>One finding about a dataset file, with the 1-based line when it is about one line.</summary>
public sealed record DatasetProblem(string File, int? Line, string Message, ProblemSeverity Severity = ProblemSeverity.Problem)
{
    /// <summary>"file:line: message" (or "file: message").</summary>
    public override string ToString() => Line is int l ? $"{File}:{l}: {Message}" : $"{File}: {Message}";
}

/// <summary>
/// A dataset file is malformed (a line that is not a box, a label file of the wrong length) or a layout cannot be
/// read. The message names the file and, where there is one, the 1-based line.
/// </summary>
public sealed class DatasetFormatException : Exception
{
    public DatasetFormatException(string file, int? line, string message, Exception? inner = null)
        : base(line is int l ? $"{file}:{l}: {message}" : $"{file}: {message}", inner)
    {
        File = file;
        Line = line;
    }

    public DatasetFormatException(DatasetProblem problem) : this(problem.File, problem.Line, problem.Message)
    {
    }

    /// <summary>The file at fault.</summary>
    public string File { get; }

    /// <summary>1-based line, when the fault is on one line.</summary>
    public int? Line { get; }
}
