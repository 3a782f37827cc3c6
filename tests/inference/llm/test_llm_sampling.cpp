// The sampling filters one by one, the sampler's seeds and distribution, and stop strings.
#include "inference/llm/sampling/candidates.hpp"
#include "inference/llm/sampling/filters.hpp"
#include "inference/llm/sampling/sampler.hpp"
#include "inference/llm/stop_strings.hpp"

#include <QTest>
#include <cmath>
#include <limits>

using namespace atelier::llm;

namespace {

std::vector<float> logitsOf(std::initializer_list<double> probabilities) {
    std::vector<float> out;
    for (double p : probabilities) out.push_back(float(std::log(p)));
    return out;
}

std::vector<int> ids(const Candidates& c) {
    std::vector<int> out;
    for (const Candidate& item : c.items()) out.push_back(item.id);
    return out;
}

} // namespace

class TestLlmSampling : public QObject {
    Q_OBJECT

private slots:
    void topKKeepsTheMostLikely() {
        Candidates c(std::vector<float>{0.1f, 3.0f, -1.0f, 2.0f, 2.5f});
        filters::topK(c, 3);
        QCOMPARE(ids(c), (std::vector<int>{1, 4, 3}));
        Candidates all(std::vector<float>{1, 2});
        filters::topK(all, 0);
        QCOMPARE(all.size(), std::size_t(2));
    }

    void topPKeepsTheSmallestSetReachingP() {
        const auto logits = logitsOf({0.2, 0.5, 0.3});
        Candidates c(logits);
        filters::topP(c, 0.7f);
        QCOMPARE(ids(c), (std::vector<int>{1, 2}));
        Candidates one(logits);
        filters::topP(one, 0.4f);
        QCOMPARE(ids(one), (std::vector<int>{1}));
        Candidates off(logits);
        filters::topP(off, 1.0f);
        QCOMPARE(off.size(), std::size_t(3));
    }

    void minPDropsUnlikelyTokens() {
        Candidates c(logitsOf({0.2, 0.5, 0.3, 0.1}));
        filters::minP(c, 0.5f); // keeps p >= 0.25
        QCOMPARE(ids(c), (std::vector<int>{1, 2}));
    }

    void temperatureScalesLogits() {
        Candidates c(std::vector<float>{2.0f, -4.0f});
        filters::temperature(c, 0.5f);
        QCOMPARE(c[0].logit, 4.0f);
        QCOMPARE(c[1].logit, -8.0f);
    }

    void penaltiesFollowLlamaCpp() {
        Candidates c(std::vector<float>{4.0f, -1.0f, 3.0f, 1.0f});
        const std::vector<atelier::tokenizer::TokenId> recent{0, 1, 1, 3};
        filters::penalties(c, recent, 2.0f, 0.5f, 0.25f);
        QCOMPARE(c[0].logit, 4.0f / 2 - 0.5f - 0.25f);
        QCOMPARE(c[1].logit, -1.0f * 2 - 2 * 0.5f - 0.25f);
        QCOMPARE(c[2].logit, 3.0f); // not seen
        QCOMPARE(c[3].logit, 1.0f / 2 - 0.5f - 0.25f);
    }

    void logitBiasCanBanATokenUnderGreedy() {
        SamplingParams p;
        p.temperature = 0.0f;
        const std::vector<float> logits{1.0f, 5.0f, 3.0f};
        QCOMPARE(Sampler(p).sample(logits), 1);
        p.logitBias[1] = -std::numeric_limits<float>::infinity();
        QCOMPARE(Sampler(p).sample(logits), 2);
    }

    void repetitionPenaltyChangesTheGreedyChoice() {
        SamplingParams p;
        p.temperature = 0.0f;
        p.repeatPenalty = 2.0f;
        Sampler s(p);
        const std::vector<float> logits{1.0f, 5.0f, 3.0f};
        QCOMPARE(s.sample(logits), 1);
        s.remember(1); // 5 -> 2.5 < 3
        QCOMPARE(s.sample(logits), 2);
    }

    void seedsReproduceAndTheDistributionHolds() {
        SamplingParams p{.temperature = 1.0f, .topK = 0, .topP = 1.0f, .minP = 0.0f};
        p.seed = 99;
        const auto logits = logitsOf({0.5, 0.3, 0.2});
        Sampler a(p), b(p);
        std::vector<int> counts(3, 0);
        const int draws = 20000;
        for (int i = 0; i < draws; ++i) {
            const auto x = a.sample(logits);
            QCOMPARE(b.sample(logits), x);
            ++counts[std::size_t(x)];
        }
        QVERIFY(std::abs(counts[0] / double(draws) - 0.5) < 0.02);
        QVERIFY(std::abs(counts[1] / double(draws) - 0.3) < 0.02);
        QVERIFY(std::abs(counts[2] / double(draws) - 0.2) < 0.02);

        SamplingParams random = p;
        random.seed = -1;
        QVERIFY(Sampler(random).seed() != Sampler(random).seed());
    }

    void stopStringsAreHeldBackUntilDecided() {
        StopStringFilter f({"world", "\n\n"});
        QCOMPARE(f.push("Hello wor"), std::string("Hello "));
        QCOMPARE(f.push("ld! more"), std::string());
        QVERIFY(f.stopped());
        QCOMPARE(f.matched(), std::string("world"));

        StopStringFilter g({"world"});
        QCOMPARE(g.push("wo"), std::string());
        QCOMPARE(g.push("x w"), std::string("wox "));
        QCOMPARE(g.finish(), std::string("w"));
        QVERIFY(!g.stopped());

        StopStringFilter none({});
        QCOMPARE(none.push("anything"), std::string("anything"));
    }
};

QTEST_GUILESS_MAIN(TestLlmSampling)
#include "test_llm_sampling.moc"
