using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrackSharp.Trackers.TrDiMP;

/// <summary>
/// TrDiMP's decoder: one query frame (1, batch, D, H, W) attends to the encoder memory, guided by the Gaussian
/// target labels of the memory frames (images, batch, H, W). Returns the decoded features as a sequence and as maps
/// (batch, D, H, W).
/// </summary>
public sealed class TransformerDecoder : Module<Tensor, Tensor, Tensor, (Tensor Sequence, Tensor Maps)>
{
#pragma warning disable IDE1006
    private readonly ModuleList<TransformerDecoderLayer> layers;
#pragma warning restore IDE1006

    public TransformerDecoder(MultiheadAttention selfAttention, int dModel, int numLayers = 1) : base(nameof(TransformerDecoder))
    {
        var layer = new TransformerDecoderLayer(selfAttention, dModel);
        layers = new ModuleList<TransformerDecoderLayer>();
        for (int i = 0; i < numLayers; i++) layers.Add(layer);
        RegisterComponents();
    }

    public override (Tensor Sequence, Tensor Maps) forward(Tensor tgt, Tensor memory, Tensor labels)
    {
        if (tgt.dim() != 5) throw new ArgumentException($"TrDiMP decoder expects (1, batch, D, H, W), got [{string.Join(", ", tgt.shape)}]");
        using var scope = NewDisposeScope();
        var shape = tgt.shape;
        long batch = shape[1], dim = shape[2];
        var pos = labels.view(labels.shape[0], batch, 1, -1).permute(0, 3, 1, 2).reshape(-1, batch, 1).repeat(1, 1, dim);
        var output = TransformerSequence.FromMaps(tgt);
        foreach (var layer in layers) output = layer.call(output, memory, pos, shape);
        var maps = TransformerSequence.ToMaps(output, shape[0], batch, dim, shape[3], shape[4]);
        return (output.MoveToOuterDisposeScope(), maps.MoveToOuterDisposeScope());
    }
}
