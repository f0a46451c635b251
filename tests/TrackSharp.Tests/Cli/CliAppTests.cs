using System.ComponentModel;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using TrackSharp.Cli.Infrastructure;
using Xunit;

namespace TrackSharp.Tests.Cli;

[Collection(CliCollection.Name)]
public class CliAppTests
{
    [Fact]
    public void UnknownVerbFailsWithParserMessage()
    {
        var r = CliRunner.Run("frobnicate");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("error: Unknown command 'frobnicate'", r.Errors);
    }

    [Fact]
    public void UnknownOptionFails()
    {
        var r = CliRunner.Run("bench", "engine", "--no-such-option");
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("no-such-option", r.Errors);
    }

    [Fact]
    public void VersionPrintsTheVersion()
    {
        var r = CliRunner.Run("--version");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("tracksharp 0.", r.Output.Trim());
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("trackers", "--help")]
    [InlineData("bench", "--help")]
    [InlineData("bench", "engine", "--help")]
    [InlineData("bench", "nanotrack", "--help")]
    [InlineData("bench", "metrics", "--help")]
    [InlineData("bench", "siamfcpp", "--help")]
    [InlineData("bench", "fcos", "--help")]
    [InlineData("detect", "--help")]
    [InlineData("detect", "train", "--help")]
    [InlineData("bench", "siamban", "--help")]
    [InlineData("bench", "ostrack", "--help")]
    [InlineData("bench", "trdimp", "--help")]
    [InlineData("track", "--help")]
    [InlineData("demo", "--help")]
    [InlineData("bench", "loader", "--help")]
    [InlineData("bench", "train", "siamban", "--help")]
    [InlineData("eval", "--help")]
    [InlineData("report", "--help")]
    [InlineData("coco-eval", "--help")]
    [InlineData("train", "--help")]
    [InlineData("datasets", "--help")]
    [InlineData("datasets", "check", "--help")]
    [InlineData("datasets", "show", "--help")]
    [InlineData("datasets", "synthesize", "--help")]
    [InlineData("datasets", "crop511", "--help")]
    public void EveryVerbHasHelp(params string[] args)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("USAGE:", r.Output);
        Assert.Equal("", r.Errors);
    }

    [Fact]
    public void BenchEngineHelpListsItsOptions()
    {
        var r = CliRunner.Run("bench", "engine", "--help");
        foreach (var option in new[] { "--json", "--threads", "--quick", "--verbose" })
            Assert.Contains(option, r.Output);
    }

    [Fact]
    public void TrackersListsTheRegistryOrSaysItIsEmpty()
    {
        var r = CliRunner.Run("trackers");
        Assert.Equal(0, r.ExitCode);
        var names = TrackSharp.Tracking.TrackerRegistry.Default.Entries.Select(e => e.Name).ToList();
        if (names.Count == 0) Assert.Contains("no trackers", r.Output);
        foreach (var name in names) Assert.Contains(name, r.Output);
    }

    [Fact]
    public void BenchEngineWritesJsonWithPositiveFigures()
    {
        string dir = Directory.CreateTempSubdirectory("tracksharp-cli-").FullName;
        try
        {
            string json = Path.Combine(dir, "nested", "engine.json");
            var r = CliRunner.Run("bench", "engine", "--quick", "--threads", "1", "--json", json);
            Assert.True(r.ExitCode == 0, r.Errors);
            Assert.Contains("sgemm", r.Output);

            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            foreach (var key in new[] { "sgemm_gflops", "conv2d_gflops", "tiny_op_us" })
            {
                double value = doc.RootElement.GetProperty(key).GetDouble();
                Assert.True(value > 0 && double.IsFinite(value), $"{key} = {value}");
            }
            Assert.Equal(1, doc.RootElement.GetProperty("threads").GetInt32());
            Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("torchsharp_version").GetString()));
            Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("libtorch_version").GetString()));
            // atomic write: only the result is left in the folder
            Assert.Equal(new[] { "engine.json" },
                Directory.GetFiles(Path.GetDirectoryName(json)!).Select(Path.GetFileName).ToArray());
        }
        finally
        {
            TorchSharp.torch.set_num_threads(Environment.ProcessorCount);
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("bench", "engine", "--threads", "abc")]
    [InlineData("bench", "engine", "--json")]
    public void BadOptionValueExitsTwoWithOneErrorLine(params string[] args)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Single(r.ErrorLines, l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", r.Errors);
    }

    [Theory]
    [InlineData("missing-file")]
    [InlineData("argument")]
    [InlineData("format")]
    [InlineData("key")]
    [InlineData("tracksharp")]
    public void BadInputExceptionPrintsOneLineAndExitsTwo(string kind)
    {
        var r = CliRunner.Run(["throw", kind], AddThrowCommand);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Equal(["error: boom: " + kind], r.ErrorLines);
    }

    [Fact]
    public void BadInputWithVerbosePrintsTheStackTrace()
    {
        var r = CliRunner.Run(["throw", "missing-file", "--verbose"], AddThrowCommand);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Equal("error: boom: missing-file", r.ErrorLines[0]);
        Assert.Contains("   at ", r.Errors);
    }

    [Fact]
    public void UnexpectedExceptionExitsOneWithHint()
    {
        var r = CliRunner.Run(["throw", "bug"], AddThrowCommand);
        Assert.Equal(ExitCodes.Failure, r.ExitCode);
        Assert.StartsWith("error: boom: bug (InvalidOperationException)", r.ErrorLines[0]);
        Assert.Contains("--verbose", r.ErrorLines[1]);
        Assert.DoesNotContain("   at ", r.Errors);
    }

    [Fact]
    public void MultiLineMessageIsPrintedOnOneLine()
    {
        var r = CliRunner.Run(["throw", "multiline"], AddThrowCommand);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Equal(["error: boom: first second"], r.ErrorLines);
    }

    [Fact]
    public void VerbOptionNamedVersionReachesTheVerb()
    {
        // `track --version v3` (NanoTrack model version) must not be taken for the app's --version.
        var r = CliRunner.Run(["echo-version", "--version", "v3"], c => c.AddCommand<EchoVersionCommand>("echo-version"));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("model v3", r.Output.Trim());
    }

    private static void AddThrowCommand(IConfigurator config) => config.AddCommand<ThrowCommand>("throw");

    public sealed class EchoVersionSettings : GlobalSettings
    {
        [CommandOption("--version <VERSION>")]
        public string? ModelVersion { get; init; }
    }

    public sealed class EchoVersionCommand(IAnsiConsole console) : Command<EchoVersionSettings>
    {
        public override int Execute(CommandContext context, EchoVersionSettings settings, CancellationToken cancellation)
        {
            console.WriteLine("model " + settings.ModelVersion);
            return 0;
        }
    }

    public sealed class ThrowSettings : GlobalSettings
    {
        [CommandArgument(0, "<KIND>")]
        [Description("Which exception to throw.")]
        public string Kind { get; init; } = "";
    }

    /// <summary>Test-only verb that throws the exception a real verb would throw for bad input or a bug.</summary>
    public sealed class ThrowCommand : Command<ThrowSettings>
    {
        public override int Execute(CommandContext context, ThrowSettings settings, CancellationToken cancellation) =>
            throw (settings.Kind switch
            {
                "missing-file" => new FileNotFoundException("boom: missing-file", "nowhere.mp4"),
                "argument" => new ArgumentException("boom: argument") as Exception,
                "format" => new FormatException("boom: format"),
                "key" => new KeyNotFoundException("boom: key"),
                "tracksharp" => new TrackSharp.Tests.Cli.FakeCheckpointException("boom: tracksharp"),
                "multiline" => new InvalidDataException("boom: first\n  second"),
                _ => new InvalidOperationException("boom: bug"),
            });
    }
}

/// <summary>Stands for a library exception such as a checkpoint key mismatch: declared in a TrackSharp namespace.</summary>
public sealed class FakeCheckpointException(string message) : Exception(message);
