/** Function words that carry no topic; shared by the summariser's similarity and overlap features. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all almost also although am among an and another any are aren around as at ' +
    'back be became because become been before being below between both but by can cannot could couldn did didn ' +
    'do does doesn doing don down during each either else enough even ever every few for from further get gets ' +
    'got had hadn has hasn have haven having he her here hers herself him himself his how however i if in into ' +
    'is isn it its itself just least less let like ll made make many may me might more most much must my myself ' +
    'neither no nor not now of off often on once one only or other others otherwise our ours ourselves out over ' +
    'own per perhaps put quite rather re really s said same say says see seen shall she should shouldn since so ' +
    'some still such t than that the their theirs them themselves then there these they this those though three ' +
    'through thus to too two under until up upon us ve very was wasn we well were weren what whatever when where ' +
    'whether which while who whom whose why will with within without won would wouldn yet you your yours ' +
    'yourself yourselves mr mrs ms dr told tell according year years new last first time week told week'
  ).split(' '),
);
