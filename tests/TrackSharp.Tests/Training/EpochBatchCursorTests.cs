using TrackSharp.Data.Loading;
using TrackSharp.Training.Engine;
using Xunit;
using static TorchSharp.torch;

namespace TrackSharp.Tests.Training;

/// <summary>
/// The batches a family task hands the loop, by position, from a fake loader whose sample i of epoch e holds
/// 100·e + i: two samples a batch, three batches an epoch, so each batch's first value is 100·e + 2·iteration.
/// </summary>
public class EpochBatchCursorTests
{
    private static SampleLoader<ValueSample> Loader() =>
        new(context => new ValueSample(100f * context.Epoch + context.Index),
            new LoaderOptions { BatchSize = 2, EpochLength = 6, Workers = 1, Prefetch = 1, Seed = 3 });

    private static float First(TensorBatch batch) => batch["value"][0].item<float>();

    [Fact]
    public void WalksEpochsInOrderAndStartsAResumedRunAtItsIteration()
    {
        using var straight = new EpochBatchCursor<ValueSample>(Loader());
        var values = new List<float>();
        for (int epoch = 0; epoch < 2; epoch++)
            for (int iteration = 0; iteration < 3; iteration++)
                values.Add(First(straight.Next(new TrainingPosition(epoch, iteration, 3))));
        Assert.Equal([0f, 2f, 4f, 100f, 102f, 104f], values);

        // A resumed run's first call is epoch 1, iteration 2: the stream opens there, then the next epoch starts afresh.
        using var resumed = new EpochBatchCursor<ValueSample>(Loader());
        Assert.Equal(104f, First(resumed.Next(new TrainingPosition(1, 2, 3))));
        Assert.Equal(200f, First(resumed.Next(new TrainingPosition(2, 0, 3))));
    }

    [Fact]
    public void APositionPastTheLoadersEpochIsNamed()
    {
        using var cursor = new EpochBatchCursor<ValueSample>(Loader());
        for (int iteration = 0; iteration < 3; iteration++) cursor.Next(new TrainingPosition(0, iteration, 4));
        var e = Assert.Throws<InvalidOperationException>(() => cursor.Next(new TrainingPosition(0, 3, 4)));
        Assert.Contains("epoch 0, iteration 3", e.Message);
        Assert.Contains("3 per epoch", e.Message);
    }
}
