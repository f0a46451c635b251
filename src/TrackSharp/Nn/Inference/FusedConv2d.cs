using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TrackSharp.Nn.Inference;

/// <summary>
/// An inference-only convolution: a <see cref="Conv2d"/> with the <see cref="BatchNorm2d"/> that follows it
/// folded into its weights (evaluation statistics), and the activation after it applied in place. One native
/// op where the modules take two or three, and one intermediate map less.
/// <para>
/// The folded weights are computed in float64 and stored in float32, channels-last. They are a snapshot of
/// the modules at construction time; the modules themselves are not touched.
/// </para>
/// </summary>
internal sealed class FusedConv2d : IDisposable
{
    private readonly Tensor _weight;
    private readonly Tensor? _bias;
    private readonly long[] _stride, _padding, _dilation;
    private readonly long _groups;

    public Activation Activation { get; }
    public long OutputChannels => _weight.shape[0];

    /// <summary>Whether this is a depth-wise conv (one group per channel, one output per group).</summary>
    public bool IsDepthwise => _groups > 1 && _weight.shape[1] == 1 && _groups == _weight.shape[0];

    /// <summary>Whether this is a plain 1x1 conv (stride 1, no padding, one group).</summary>
    public bool IsPointwise => _groups == 1 && _weight.shape[2] == 1 && _weight.shape[3] == 1 &&
        _stride.All(v => v == 1) && _padding.All(v => v == 0);

    /// <summary>The fused weight as [out, in] for a point-wise conv (a view; not owned by the caller).</summary>
    public Tensor PointwiseMatrix => IsPointwise
        ? _weight.view(_weight.shape[0], _weight.shape[1])
        : throw new InvalidOperationException("not a point-wise conv");

    /// <summary>The fused bias, or null (not owned by the caller).</summary>
    public Tensor? Bias => _bias;

    /// <summary>
    /// Parallel convs as one call: depth-wise convs become one depth-wise conv over their concatenated input
    /// channels; plain convs (one group) that read the same input become one conv with their output channels
    /// concatenated. Kernel, stride, padding and activation must agree. Each oneDNN convolution call has a
    /// fixed cost of about 20 µs on this kind of CPU, more than the arithmetic of a small head map, so running
    /// parallel branches as one call pays off. The parts stay owned by the caller.
    /// </summary>
    public static FusedConv2d Stack(IReadOnlyList<FusedConv2d> convs)
    {
        var first = convs[0];
        bool depthwise = first.IsDepthwise;
        foreach (var c in convs)
        {
            if (c.IsDepthwise != depthwise || (!depthwise && c._groups != 1) || c.Activation != first.Activation ||
                (c._bias is null) != (first._bias is null) || !c._weight.shape[1..].SequenceEqual(first._weight.shape[1..]) ||
                !c._stride.SequenceEqual(first._stride) || !c._padding.SequenceEqual(first._padding) ||
                !c._dilation.SequenceEqual(first._dilation))
                throw new ArgumentException("only convs of one configuration, all depth-wise or all single-group, can be stacked");
        }
        using var scope = NewDisposeScope();
        var weight = cat(convs.Select(c => c._weight.contiguous()).ToArray(), 0);
        var bias = first._bias is null ? null : cat(convs.Select(c => c._bias!).ToArray(), 0);
        return new FusedConv2d(weight, bias, first._stride, first._padding, first._dilation,
            depthwise ? convs.Sum(c => c._groups) : 1, first.Activation);
    }

    /// <summary>Takes ownership of <paramref name="weight"/> and <paramref name="bias"/> (float32, OIHW).</summary>
    public FusedConv2d(Tensor weight, Tensor? bias, long[] stride, long[] padding, long[] dilation, long groups,
        Activation activation)
    {
        _weight = ChannelsLast.Copy(weight).DetachFromDisposeScope();
        weight.Dispose();
        _bias = bias?.DetachFromDisposeScope();
        (_stride, _padding, _dilation, _groups) = (stride, padding, dilation, groups);
        Activation = activation;
    }

    /// <summary>Folds <paramref name="norm"/> (if any) into <paramref name="conv"/>.</summary>
    public static FusedConv2d Fold(Conv2d conv, BatchNorm2d? norm = null, Activation activation = Activation.None)
    {
        if (conv.padding_type is not null || conv.padding_mode != TorchSharp.PaddingModes.Zeros || conv.padding is null)
            throw new NotSupportedException("only explicit zero padding is supported");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (weight, bias) = FoldedParameters(conv, norm);
        return new FusedConv2d(weight.to(ScalarType.Float32), bias?.to(ScalarType.Float32),
            conv.stride.ToArray(), conv.padding.ToArray(), conv.dilation.ToArray(), conv.groups, activation);
    }

    /// <summary>
    /// Folds a chain of modules made of Conv2d, each optionally followed by a BatchNorm2d and then an activation
    /// (ReLU, ReLU6, Hardswish), into one fused conv per Conv2d.
    /// </summary>
    public static List<FusedConv2d> FoldAll(IEnumerable<TorchSharp.torch.nn.Module> modules)
    {
        var list = modules.ToList();
        var result = new List<FusedConv2d>();
        for (int i = 0; i < list.Count;)
        {
            if (list[i] is not Conv2d conv)
                throw new NotSupportedException($"expected a Conv2d at position {i}, found {list[i].GetType().Name}");
            i++;
            BatchNorm2d? norm = i < list.Count ? list[i] as BatchNorm2d : null;
            if (norm is not null) i++;
            var activation = i < list.Count ? ActivationOf(list[i]) : Activation.None;
            if (activation != Activation.None) i++;
            result.Add(Fold(conv, norm, activation));
        }
        return result;

        static Activation ActivationOf(TorchSharp.torch.nn.Module module) => module switch
        {
            ReLU => Activation.ReLU,
            ReLU6 => Activation.ReLU6,
            Hardswish => Activation.Hardswish,
            _ => Activation.None,
        };
    }

    /// <summary>Runs <paramref name="layers"/> in order on <paramref name="x"/> (not disposed), freeing each intermediate.</summary>
    public static Tensor ForwardAll(IReadOnlyList<FusedConv2d> layers, Tensor x)
    {
        var y = layers[0].Forward(x);
        for (int i = 1; i < layers.Count; i++)
        {
            using var previous = y;
            y = layers[i].Forward(previous);
        }
        return y;
    }

    /// <summary>
    /// float64 weight and bias of conv followed by BN in evaluation mode:
    /// <c>w' = w * g / sqrt(var + eps)</c>, <c>b' = (b - mean) * g / sqrt(var + eps) + beta</c>.
    /// </summary>
    public static (Tensor Weight, Tensor? Bias) FoldedParameters(Conv2d conv, BatchNorm2d? norm)
    {
        var weight = conv.weight!.detach().to(ScalarType.Float64);
        var bias = conv.bias?.detach().to(ScalarType.Float64);
        if (norm is null) return (weight, bias);
        long channels = weight.shape[0];
        var scale = (norm.running_var!.to(ScalarType.Float64) + norm.eps).rsqrt();
        if (norm.weight is not null) scale = scale * norm.weight.detach().to(ScalarType.Float64);
        var shift = (bias ?? zeros(channels, ScalarType.Float64)) - norm.running_mean!.to(ScalarType.Float64);
        var foldedBias = shift * scale;
        if (norm.bias is not null) foldedBias = foldedBias + norm.bias.detach().to(ScalarType.Float64);
        return (weight * scale.view(-1, 1, 1, 1), foldedBias);
    }

    /// <summary>Convolution, bias and activation; the result is a new tensor (channels-last for channels-last input).</summary>
    public Tensor Forward(Tensor x) =>
        Activation.ApplyInPlace(nn.functional.conv2d(x, _weight, _bias, _stride, _padding, _dilation, _groups));

    public void Dispose()
    {
        _weight.Dispose();
        _bias?.Dispose();
    }
}
