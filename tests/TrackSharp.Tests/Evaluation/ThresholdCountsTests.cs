using TrackSharp.Evaluation;
using Xunit;

namespace TrackSharp.Tests.Evaluation;

/// <summary>
/// <c>ThresholdCounts</c> (one pass per curve) against the per-threshold loops the toolkits write
/// (<c>(v &gt; t).sum()</c>, <c>(v &lt;= t).sum()</c>): ties on the grid values, NaN, infinities, -0.0, -1 sentinels.
/// </summary>
public class ThresholdCountsTests
{
    public static TheoryData<string> Grids => new() { "success21", "precision51", "norm51", "got10k101", "descending", "duplicates" };

    [Theory]
    [MemberData(nameof(Grids))]
    public void CountsEqualThePerThresholdLoops(string gridName)
    {
        double[] grid = gridName switch
        {
            "success21" => Enumerable.Range(0, 21).Select(i => i * 0.05).ToArray(),
            "precision51" => Enumerable.Range(0, 51).Select(i => (double)i).ToArray(),
            "norm51" => Enumerable.Range(0, 51).Select(i => i / 100.0).ToArray(),
            "got10k101" => Enumerable.Range(0, 101).Select(i => i * 0.01).ToArray(),
            "descending" => Enumerable.Range(0, 21).Select(i => 1 - i * 0.05).ToArray(),
            _ => [0, 0.25, 0.25, 0.5, 1],
        };
        var rng = new Random(gridName.Length);
        var values = new List<double> { double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 0.0, -1, 1e300 };
        values.AddRange(grid);                                      // exact ties
        values.AddRange(grid.Select(t => Math.BitIncrement(t)));
        values.AddRange(grid.Select(t => Math.BitDecrement(t)));
        for (int i = 0; i < 3000; i++) values.Add(rng.NextDouble() * grid.Max() * 1.2 - 0.1);
        var array = values.ToArray();

        var greater = ThresholdCounts.Greater(array, grid);
        var atMost = ThresholdCounts.AtMost(array, grid);
        for (int i = 0; i < grid.Length; i++)
        {
            Assert.Equal(array.Count(v => v > grid[i]), greater[i]);
            Assert.Equal(array.Count(v => v <= grid[i]), atMost[i]);
        }
    }

    [Fact]
    public void NoValuesGiveZeroCounts()
    {
        Assert.Equal(new int[3], ThresholdCounts.Greater([], [0, 0.5, 1]));
        Assert.Equal(new int[3], ThresholdCounts.AtMost([], [0, 0.5, 1]));
    }
}
