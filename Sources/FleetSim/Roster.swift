/// The people and teams of the demo factory.
enum Roster {
  static let people: [(user: String, team: String)] = [
    ("mkowalski", "llm-pretrain"), ("achen", "llm-pretrain"), ("rnair", "llm-pretrain"),
    ("sokafor", "llm-post"), ("lmartin", "llm-post"), ("tyamada", "llm-post"),
    ("jdoe", "vision"), ("pgarcia", "vision"), ("hkim", "vision"),
    ("bsingh", "speech"), ("eolsen", "speech"),
    ("fmoreau", "recsys"), ("wzhang", "recsys"),
    ("nabara", "research"), ("cdubois", "research"), ("vpetrov", "research"),
    ("gsmith", "search"), ("ilopez", "search"),
    ("svc-inference", "platform"),
  ]

  static let trainingNames = [
    "llm-13b-sft", "vit-h-pretrain", "whisper-ft", "dlrm-v3", "moe-8x22b-ablation",
    "diffusion-xl", "rlhf-ppo", "llama-eval-sweep", "tokenizer-study", "asr-conformer",
    "retriever-dpr", "clip-l-distill", "code-7b-sft", "video-gen-pretrain",
  ]

  static func person(_ index: Int) -> (user: String, team: String) {
    people[index % people.count]
  }

  static func person(inTeam team: String, _ index: Int) -> (user: String, team: String) {
    let members = people.filter { $0.team == team }
    return members[index % members.count]
  }
}
