using System.Reflection;
using System.Text.Json;
using Spectre.Console;
using TrackSharp.Cli;
using Progress = TrackSharp.Cli.Progress;
using TrackSharp.Cli.Infrastructure;
using Xunit;

namespace TrackSharp.Tests.Cli;

[Collection(CliCollection.Name)]
public class InfrastructureTests
{
    [Theory]
    [InlineData(typeof(ArgumentException), true)]
    [InlineData(typeof(ArgumentNullException), true)]
    [InlineData(typeof(ArgumentOutOfRangeException), true)]
    [InlineData(typeof(FileNotFoundException), true)]
    [InlineData(typeof(DirectoryNotFoundException), true)]
    [InlineData(typeof(FormatException), true)]
    [InlineData(typeof(InvalidDataException), true)]
    [InlineData(typeof(KeyNotFoundException), true)]
    [InlineData(typeof(FakeCheckpointException), true)]
    [InlineData(typeof(InvalidOperationException), false)]
    [InlineData(typeof(NullReferenceException), false)]
    [InlineData(typeof(IOException), false)]
    [InlineData(typeof(Exception), false)]
    public void ClassifiesBadInput(Type type, bool badInput)
    {
        var e = (Exception)Activator.CreateInstance(type, "m")!;
        Assert.Equal(badInput, ErrorHandler.IsBadInput(e));
    }

    [Fact]
    public void UnwrapsWrapperExceptions()
    {
        var inner = new FileNotFoundException("x");
        Assert.Same(inner, ErrorHandler.Unwrap(new AggregateException(new TargetInvocationException(inner))));
    }

    [Fact]
    public void HandlerWritesOnePlainLineForBadInput()
    {
        var errors = new StringWriter();
        int code = new ErrorHandler(errors, verbose: false, color: false).Handle(new FileNotFoundException("no such video: a.mp4"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal("error: no such video: a.mp4" + Environment.NewLine, errors.ToString());
    }

    [Fact]
    public void HandlerColoursTheLineRedWhenAsked()
    {
        var errors = new StringWriter();
        new ErrorHandler(errors, verbose: false, color: true).Handle(new FormatException("bad box"));
        Assert.Equal("\u001b[31merror: bad box\u001b[0m" + Environment.NewLine, errors.ToString());
    }

    [Fact]
    public void JsonOutputReplacesAtomicallyAndLeavesNoTemporaryFiles()
    {
        string dir = Directory.CreateTempSubdirectory("tracksharp-json-").FullName;
        try
        {
            string path = Path.Combine(dir, "a", "b.json");
            JsonOutput.Write(path, new { FirstValue = 1.5 });
            JsonOutput.Write(path, new { FirstValue = 2.5 });
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            Assert.Equal(2.5, doc.RootElement.GetProperty("first_value").GetDouble());
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
            Assert.Throws<ArgumentException>(() => JsonOutput.Write(dir, new { }));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ProgressDegradesToPlainLinesWhenNotInteractive()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(new StringWriter()),
        });
        Assert.False(Progress.IsInteractive(console));

        var lines = new List<string>();
        TimeSpan saved = Progress.PlainInterval;
        Progress.PlainInterval = TimeSpan.Zero; // a line per increment, to see them
        try
        {
            long result = Progress.Run(console, "tracking car", 4, p =>
            {
                for (int i = 0; i < 4; i++) { Thread.Sleep(2); p.Increment(); }
                return p.Value;
            }, plainLog: lines.Add);
            Assert.Equal(4, result);
        }
        finally
        {
            Progress.PlainInterval = saved;
        }

        Assert.Equal(5, lines.Count); // four progress lines and the summary
        Assert.StartsWith("tracking car: 1/4 frames (25%), ", lines[0]);
        Assert.Contains(" frames/s, ETA ", lines[0]);
        Assert.StartsWith("tracking car: 4/4 frames (100%)", lines[3]);
        Assert.StartsWith("tracking car: done, 4 frames in ", lines[4]);
    }

    [Fact]
    public void ProgressRateLimitsPlainLines()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(new StringWriter()),
        });
        var lines = new List<string>();
        Progress.Run(console, "reading", total: null, p => { for (int i = 0; i < 10_000; i++) p.Increment(); },
            unit: "images", plainLog: lines.Add);
        // default interval is seconds: no progress line for a fast loop, only the summary
        Assert.StartsWith("reading: done, 10,000 images in ", Assert.Single(lines));
    }

    [Fact]
    public void ProgressBarShowsCountRateAndEta()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.Yes,
            Out = new TerminalOutput(output),
        });
        long done = Progress.RunBar(console, "tracking car", 50, p =>
        {
            for (int i = 0; i < 50; i++) { Thread.Sleep(2); p.Increment(); }
            return p.Value;
        }, unit: "frames");

        Assert.Equal(50, done);
        string text = output.ToString();
        Assert.Contains("tracking car", text);
        Assert.Contains("50/50", text);
        Assert.Contains("100%", text);
        Assert.Contains("frames/s", text);
    }

    /// <summary>A captured output that claims to be a terminal, so Spectre draws the live bar into it.</summary>
    private sealed class TerminalOutput(TextWriter writer) : IAnsiConsoleOutput
    {
        public TextWriter Writer => writer;
        public bool IsTerminal => true;
        public int Width => 120;
        public int Height => 40;
        public void SetEncoding(System.Text.Encoding encoding) { }
    }
}
