using System.Security.Cryptography;
using TrackSharp.Tracking;
using Xunit;

namespace TrackSharp.Tests.Setup;

/// <summary>The weights and sample the repository ships are the published bytes (sha256 from shared/weights/nanotrack/README.md).</summary>
public class ShippedFilesTests
{
    public static TheoryData<string, string> Files => new()
    {
        { "models/nanotrack/nanotrackv1.pth", "2a24bbfd1163a7692ab22100336a54de55dde12301b7d8ae7a4e745fb10b09a3" },
        { "models/nanotrack/nanotrackv2.pth", "938a320c560fd8c8d6a148a76a072bca29c529ce16591c9a2157859ee0ecc5e1" },
        { "models/nanotrack/nanotrackv3.pth", "4f0d25108385a67bdec5fa01ca37c74acb72343b53996dd645fe18b86e512e69" },
        { "models/nanotrack/onnx_v2/nanotrack_backbone_sim.onnx", "530bdd0cd00f19afab79a863e71ba71e3312395a5dc9151af675082bdaaa2fc4" },
        { "models/nanotrack/onnx_v2/nanotrack_head_sim.onnx", "0d8c0637be849f092cc7236cae02e55c8b9455ebe37ba50601d6115db4247cd9" },
        // shared/data/MANIFEST.md: byte copy of pysot demo/bag.avi
        { "samples/bag.avi", "e64a991d07b60a1217d24d2c368aa0c1963babf9fe38cc203e2bc1830bb7aad1" },
    };

    [Theory, MemberData(nameof(Files))]
    public void ShippedFileHasThePublishedSha256(string relativePath, string sha256)
    {
        string path = Path.Combine(TestPaths.RepoRoot, relativePath);
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
    }

    [Fact]
    public void SumsFileListsEveryShippedModel()
    {
        var listed = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "models", "SHA256SUMS"))
            .Where(l => l.Length > 0).ToDictionary(l => l[66..].Trim(), l => l[..64]);
        foreach (var (file, sha) in Files.Select(row => ((string)row[0], (string)row[1])).Where(r => r.Item1.StartsWith("models/")))
            Assert.Equal(sha, listed[file["models/".Length..]]);
    }

    [Fact]
    public void ModelStoreFindsTheShippedWeightsFromTheTestDirectory()
    {
        string path = ModelStore.Resolve("nanotrack/nanotrackv3.pth");
        Assert.Equal(Path.Combine(TestPaths.RepoRoot, "models", "nanotrack", "nanotrackv3.pth"), path);
    }

    [Fact]
    public void ModelStoreNamesTheMissingFileAndTheOverride()
    {
        var e = Assert.Throws<FileNotFoundException>(() => ModelStore.Resolve("nanotrack/nope.pth"));
        Assert.Contains("nanotrack/nope.pth", e.Message);
        Assert.Contains("--weights", e.Message);
    }
}
