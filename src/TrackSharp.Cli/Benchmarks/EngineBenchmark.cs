using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace TrackSharp.Cli.Benchmarks;

/// <summary>What <c>bench engine</c> reports; the JSON keys are the property names given here.</summary>
public sealed record EngineBenchmarkResult
{
    /// <summary>1024x1024x1024 float32 matmul: 2*n^3 flops over the median time.</summary>
    [JsonPropertyName("sgemm_gflops")] public double SgemmGflops { get; init; }

    /// <summary>3x3 conv, 1x256x64x64 -> 256 channels, padding 1: 2*Cin*Cout*9*H*W flops over the median time.</summary>
    [JsonPropertyName("conv2d_gflops")] public double Conv2dGflops { get; init; }

    /// <summary>Microseconds per add of two one-element tensors (dispatch overhead), median over chunks.</summary>
    [JsonPropertyName("tiny_op_us")] public double TinyOpMicroseconds { get; init; }

    [JsonPropertyName("threads")] public int Threads { get; init; }
    [JsonPropertyName("torchsharp_version")] public string TorchSharpVersion { get; init; } = "";
    [JsonPropertyName("libtorch_version")] public string LibTorchVersion { get; init; } = "";
    [JsonPropertyName("quick")] public bool Quick { get; init; }
    [JsonPropertyName("sgemm_repeats")] public int SgemmRepeats { get; init; }
    [JsonPropertyName("conv2d_repeats")] public int Conv2dRepeats { get; init; }
    [JsonPropertyName("tiny_op_count")] public int TinyOpCount { get; init; }
    [JsonPropertyName("processor_count")] public int ProcessorCount { get; init; }
    [JsonPropertyName("os")] public string Os { get; init; } = "";
    [JsonPropertyName("timestamp_utc")] public DateTime TimestampUtc { get; init; }
}

/// <summary>
/// Raw speed of the TorchSharp/libtorch CPU backend on this machine: a large GEMM, a typical backbone
/// convolution and the per-op overhead that dominates small tracker heads. Each figure is the median of timed
/// repeats after warm-up runs.
/// </summary>
public static class EngineBenchmark
{
    public const int GemmSize = 1024;
    public const int ConvChannels = 256, ConvSize = 64, ConvKernel = 3;

    /// <param name="threads">Intra-op threads; null keeps libtorch's default.</param>
    /// <param name="quick">Few repeats (for tests and smoke checks); figures are noisier.</param>
    /// <param name="stage">Called with a short description before each measurement.</param>
    public static EngineBenchmarkResult Run(int? threads, bool quick, Action<string>? stage = null)
    {
        if (threads is { } n)
        {
            if (n < 1) throw new ArgumentOutOfRangeException(nameof(threads), n, "--threads must be at least 1");
            torch.set_num_threads(n);
        }

        using var noGrad = torch.no_grad();
        torch.manual_seed(0);

        int gemmWarmup = quick ? 1 : 3, gemmRepeats = quick ? 3 : 20;
        int convWarmup = quick ? 1 : 2, convRepeats = quick ? 2 : 10;
        int tinyChunks = 10, tinyChunk = quick ? 1_000 : 10_000;

        stage?.Invoke($"sgemm {GemmSize}x{GemmSize}");
        double sgemmSeconds;
        using (var a = torch.randn(GemmSize, GemmSize))
        using (var b = torch.randn(GemmSize, GemmSize))
        {
            sgemmSeconds = MedianSeconds(gemmWarmup, gemmRepeats, () => { using var c = torch.matmul(a, b); });
        }
        double sgemmFlops = 2.0 * GemmSize * GemmSize * GemmSize;

        stage?.Invoke($"conv2d 3x3 {ConvChannels}->{ConvChannels} on {ConvSize}x{ConvSize}");
        double convSeconds;
        using (var input = torch.randn(1, ConvChannels, ConvSize, ConvSize))
        using (var weight = torch.randn(ConvChannels, ConvChannels, ConvKernel, ConvKernel))
        {
            convSeconds = MedianSeconds(convWarmup, convRepeats, () =>
            {
                using var y = nn.functional.conv2d(input, weight, padding: [1, 1]);
            });
        }
        double convFlops = 2.0 * ConvChannels * ConvChannels * ConvKernel * ConvKernel * ConvSize * ConvSize;

        stage?.Invoke($"tiny op overhead ({tinyChunks * tinyChunk:N0} adds)");
        double tinySeconds;
        using (var x = torch.ones(1))
        using (var y = torch.ones(1))
        {
            // Each chunk runs inside its own dispose scope, as a per-frame loop would; the scope's disposal of
            // the results is part of the measured cost.
            tinySeconds = MedianSeconds(warmup: 1, repeats: tinyChunks, () =>
            {
                using var scope = torch.NewDisposeScope();
                for (int i = 0; i < tinyChunk; i++) _ = x + y;
            });
        }

        return new EngineBenchmarkResult
        {
            SgemmGflops = sgemmFlops / sgemmSeconds / 1e9,
            Conv2dGflops = convFlops / convSeconds / 1e9,
            TinyOpMicroseconds = tinySeconds / tinyChunk * 1e6,
            Threads = torch.get_num_threads(),
            TorchSharpVersion = TorchSharpVersion(),
            LibTorchVersion = LibTorchVersion(),
            Quick = quick,
            SgemmRepeats = gemmRepeats,
            Conv2dRepeats = convRepeats,
            TinyOpCount = tinyChunks * tinyChunk,
            ProcessorCount = Environment.ProcessorCount,
            Os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            TimestampUtc = DateTime.UtcNow,
        };
    }

    /// <summary>Median wall time of <paramref name="repeats"/> runs after <paramref name="warmup"/> untimed ones.</summary>
    public static double MedianSeconds(int warmup, int repeats, Action op)
    {
        for (int i = 0; i < warmup; i++) op();
        var times = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            op();
            times[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        Array.Sort(times);
        return repeats % 2 == 1 ? times[repeats / 2] : (times[repeats / 2 - 1] + times[repeats / 2]) / 2;
    }

    public static string TorchSharpVersion() => ShortVersion(typeof(torch).Assembly);

    /// <summary>The libtorch version as TorchSharp reports it.</summary>
    public static string LibTorchVersion() => torch.__version__;

    private static string ShortVersion(Assembly assembly)
    {
        string? v = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                    ?? assembly.GetName().Version?.ToString();
        if (v is null) return "unknown";
        int plus = v.IndexOf('+');
        return plus >= 0 ? v[..plus] : v;
    }
}
