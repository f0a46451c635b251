using TrackSharp.Tests.Cli;
using Xunit;

namespace TrackSharp.Tests.TrDiMP;

/// <summary><c>track --tracker trdimp --config FILE</c>: a bad parameter file is one error line naming file:line and key,
/// exit code 2 (before any frame is tracked).</summary>
[Collection(CliCollection.Name)]
public class TrDiMPTrackConfigCliTests
{
    [Fact]
    public void BadParameterFileIsOneLineWithExitTwo()
    {
        string dir = Directory.CreateTempSubdirectory("tracksharp-trdimp-config-").FullName;
        try
        {
            string config = Path.Combine(dir, "bad.yaml");
            File.WriteAllText(config, "net_opt_iter: 10\nnet_opt_itr: 3\n");
            var r = CliRunner.Run("track", "--tracker", "trdimp", "--weights", TrDiMPGolden.WeightsPath, "--config", config,
                "-i", Path.Combine(TrDiMPGolden.Folder, "frames"), "--box", "302,111,166,249", "--out", Path.Combine(dir, "out"));
            Assert.Equal(2, r.ExitCode);
            Assert.Contains(config + ":2", r.Errors);
            Assert.Contains("net_opt_itr", r.Errors);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
