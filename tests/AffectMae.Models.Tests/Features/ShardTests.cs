using AffectMae.Models.Features;

namespace AffectMae.Models.Tests.Features;

public class ShardTests
{
    private static readonly string[] Videos = ["e", "a", "d", "b", "c", "f", "g"];

    [Fact]
    public void Shard_one_of_three_takes_every_third_video_of_the_sorted_list_from_the_second()
    {
        // sorted: a b c d e f g → positions 1, 4 → b, e
        Shard.Parse("1/3").Select(Videos).Should().Equal("b", "e");
    }

    [Fact]
    public void The_shards_are_disjoint_and_cover_every_video()
    {
        var shares = Enumerable.Range(0, 3).Select(i => new Shard(i, 3).Select(Videos)).ToList();

        shares.SelectMany(s => s).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(Videos);
    }

    [Theory]
    [InlineData("3/3")]
    [InlineData("-1/3")]
    [InlineData("1-3")]
    [InlineData("a/b")]
    [InlineData("1/0")]
    public void Text_that_is_not_i_of_N_is_rejected_with_an_example(string text)
    {
        var parse = () => Shard.Parse(text);

        parse.Should().Throw<FormatException>().WithMessage($"'{text}' is not a shard: write i/N*");
    }
}
