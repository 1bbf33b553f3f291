"""The subjects the offline painter can draw: one line per subject, grouped by kind.

A line is `<emoji or custom name> <size in metres> <English words, comma separated> /
<Chinese words, space separated>`. The first English word is the subject's name. Unicode's
CLDR names from the `emoji` package are added to these words by subjects.py; the words here
are the ones people type (plurals are read by subjects.py, not listed). A word starting with
"!" takes the word from the landscape vocabulary ("tree" is a tree, "trees" still a forest).

Kinds decide placement: on the ground, in the sky, on the water, and whether the subject is
an indoor thing (then a prompt without landscape words gets a room, not a meadow).
"""

from __future__ import annotations

KINDS: dict[str, str] = {}  # kind -> placement: ground | sky | water
INDOOR_KINDS = frozenset({"food", "object", "furniture", "instrument", "tool"})

TABLE = """
[person ground]
🧍 1.7 person, human, someone, standing person / 人 人物 某人
🧍‍♂️ 1.75 man, guy, gentleman / 男人 男子 先生 男士
🧍‍♀️ 1.65 woman, lady / 女人 女子 女士 女性
👦 1.3 boy / 男孩 小男孩
👧 1.3 girl / 女孩 小女孩
👶 0.7 baby, infant, toddler / 婴儿 宝宝 宝贝
🧒 1.2 child, kid / 孩子 儿童 小孩 小朋友
👴 1.7 old man, grandfather, grandpa / 老爷爷 爷爷 老人 老头
👵 1.6 old woman, grandmother, grandma / 奶奶 老奶奶 外婆 老太太
🧑‍🚀 1.8 astronaut, spaceman, cosmonaut / 宇航员 航天员 太空人
🧑‍🍳 1.7 chef, cook / 厨师 大厨
🧑‍⚕️ 1.7 doctor, nurse / 医生 护士 大夫
🧑‍🏫 1.7 teacher, professor / 老师 教师 教授
🧑‍🌾 1.7 farmer / 农民 农夫
🧑‍🎨 1.7 artist, painter / 画家 艺术家
🧑‍🚒 1.8 firefighter, fireman / 消防员
👮 1.8 police officer, policeman, cop / 警察 警官
👷 1.8 construction worker, builder, worker / 工人 建筑工人
💂 1.8 guard, soldier / 卫兵 士兵 哨兵
🕵️ 1.8 detective, spy / 侦探 间谍
🧙 1.8 wizard, witch, mage, sorcerer / 巫师 魔法师 女巫
🧚 0.5 fairy / 仙女 小仙女
🧛 1.8 vampire / 吸血鬼
🧜 1.7 mermaid / 美人鱼
🧝 1.8 elf / 精灵
🧞 1.9 genie / 灯神 精灵神
🧟 1.8 zombie / 僵尸 丧尸
🦸 1.8 superhero, hero / 超级英雄 英雄
🦹 1.8 villain, supervillain / 反派 坏人
🤴 1.8 prince, king / 王子 国王
👸 1.7 princess, queen / 公主 女王 王后
🥷 1.8 ninja / 忍者
🤖 1.5 robot, android, droid / 机器人
👻 1.6 ghost / 鬼 幽灵 鬼魂
👽 1.4 alien, extraterrestrial / 外星人
💀 0.3 skull / 骷髅 头骨
🤡 1.7 clown / 小丑
🎅 1.8 santa claus, santa / 圣诞老人
⛄ 1.6 snowman / 雪人
🧑‍💻 1.7 programmer, coder, developer / 程序员
🧑‍🔬 1.7 scientist, chemist / 科学家
🧑‍🎤 1.7 singer, rock star / 歌手 歌星
🧑‍✈️ 1.8 pilot, captain / 飞行员 机长
🧑‍⚖️ 1.7 judge / 法官
💃 1.7 dancer, ballerina / 舞者 舞女 跳舞的人
🏃 1.7 runner, jogger / 跑步的人 跑者
🚶 1.7 walker, pedestrian, hiker / 行人 走路的人 徒步者
🚴 1.8 cyclist, biker / 骑车的人 骑行者
🏄 1.8 surfer / 冲浪者 冲浪
⛷️ 1.8 skier / 滑雪者 滑雪
🧘 1.0 yoga / 瑜伽 打坐
👰 1.7 bride / 新娘
🤵 1.8 groom / 新郎
🧑‍🎓 1.7 student, graduate / 学生 毕业生
🧑‍🔧 1.7 mechanic / 机械师 修理工
🏊 1.8 swimmer / 游泳的人 游泳者
[animal ground]
🐈 0.45 cat, kitten, kitty / 猫 小猫 猫咪 喵
🐕 0.6 dog, puppy, doggy / 狗 小狗 狗狗
🐩 0.6 poodle / 贵宾犬 泰迪犬
🦮 0.7 guide dog / 导盲犬
🐺 0.9 wolf / 狼
🦊 0.6 fox / 狐狸
🦝 0.5 raccoon / 浣熊
🐅 1.2 tiger / 老虎 虎
🐆 1.0 leopard, cheetah, jaguar / 豹 豹子 猎豹
🦁 1.2 lion / 狮子
🐎 1.7 horse, pony / 马 小马 骏马
🦄 1.7 unicorn / 独角兽
🦓 1.5 zebra / 斑马
🦌 1.5 deer, reindeer / 鹿 小鹿 驯鹿
🫎 2.0 moose, elk / 驼鹿 麋鹿
🐄 1.5 cow, cattle / 牛 奶牛 母牛
🐂 1.6 ox, bull / 公牛
🐃 1.6 water buffalo, buffalo / 水牛
🦬 1.8 bison / 野牛
🐖 0.9 pig, piglet, hog / 猪 小猪
🐗 0.9 boar / 野猪
🐑 0.9 sheep, lamb / 绵羊 羊 小羊 羔羊
🐐 0.9 goat / 山羊
🐪 2.0 camel / 骆驼
🦙 1.7 llama, alpaca / 羊驼 草泥马
🦒 4.5 giraffe / 长颈鹿
🐘 3.0 elephant / 大象 象
🦣 3.5 mammoth / 猛犸 猛犸象
🦏 1.8 rhino, rhinoceros / 犀牛
🦛 1.6 hippo, hippopotamus / 河马
🐁 0.1 mouse / 老鼠 小老鼠
🐀 0.2 rat / 大老鼠
🐇 0.4 rabbit, bunny, hare / 兔子 兔 小兔 白兔
🐿️ 0.3 squirrel, chipmunk / 松鼠
🦔 0.25 hedgehog / 刺猬
🐻 1.5 bear / 熊 狗熊 棕熊
🐻‍❄️ 1.6 polar bear / 北极熊 白熊
🐨 0.7 koala / 考拉 树袋熊
🐼 1.2 panda / 熊猫 大熊猫
🦥 0.6 sloth / 树懒
🦦 0.6 otter / 水獭
🦨 0.4 skunk / 臭鼬
🦘 1.5 kangaroo / 袋鼠
🦡 0.5 badger / 獾
🐒 0.6 monkey / 猴子 猴 小猴
🦍 1.7 gorilla, ape / 大猩猩
🦧 1.4 orangutan / 猩猩 红毛猩猩
🐓 0.5 rooster, cock / 公鸡
🐔 0.45 chicken, hen / 鸡 母鸡
🐤 0.15 chick / 小鸡 鸡仔
🦃 0.9 turkey / 火鸡
🐧 0.8 penguin / 企鹅
🦤 0.8 dodo / 渡渡鸟
🦩 1.2 flamingo / 火烈鸟
🦚 1.0 peacock / 孔雀
🐸 0.15 frog, toad / 青蛙 蛙 蛤蟆
🐊 3.0 crocodile, alligator, croc / 鳄鱼
🐢 0.5 turtle, tortoise / 乌龟 龟 海龟
🦎 0.3 lizard, gecko / 蜥蜴 壁虎
🐍 1.2 snake, serpent / 蛇
🐉 6.0 dragon / 龙 巨龙
🦕 12.0 dinosaur, brontosaurus / 恐龙
🦖 6.0 t-rex, trex, tyrannosaurus / 霸王龙
🐌 0.06 snail / 蜗牛
🐛 0.05 caterpillar, worm / 毛毛虫 虫子
🐜 0.02 ant / 蚂蚁
🐞 0.02 ladybug, ladybird / 瓢虫
🦗 0.05 cricket, grasshopper / 蟋蟀 蚱蜢 蝈蝈
🕷️ 0.05 spider / 蜘蛛
🦂 0.1 scorpion / 蝎子
🪲 0.04 beetle / 甲虫
🦫 0.8 beaver / 海狸 河狸
🫏 1.3 donkey / 驴 毛驴
🪿 0.8 goose / 鹅 大鹅
[flyer sky]
🐦 0.2 bird, songbird, robin / 鸟 小鸟 鸟儿 飞鸟
🕊️ 0.3 dove, pigeon / 鸽子 白鸽 和平鸽
🦅 0.8 eagle, hawk, falcon / 鹰 老鹰 雄鹰 猎鹰
🦉 0.5 owl / 猫头鹰
🦜 0.4 parrot, macaw / 鹦鹉
🐦‍⬛ 0.4 crow, raven, blackbird / 乌鸦
🦇 0.3 bat / 蝙蝠
🦋 0.08 butterfly / 蝴蝶
🐝 0.03 bee, honeybee, bumblebee / 蜜蜂
🦟 0.02 mosquito / 蚊子
[swimmer water]
🦆 0.5 duck, duckling / 鸭子 鸭 小鸭
🦢 1.2 swan / 天鹅
🐋 15.0 whale / 鲸鱼 鲸 大鲸鱼
🐬 2.5 dolphin / 海豚
🦭 1.8 seal, sea lion / 海豹 海狮
🐟 0.4 fish / 鱼 小鱼 鱼儿
🐠 0.2 tropical fish, goldfish / 热带鱼 金鱼
🐡 0.3 pufferfish, blowfish / 河豚
🦈 4.0 shark / 鲨鱼
🐙 1.0 octopus / 章鱼
🦑 1.0 squid / 鱿鱼
🦀 0.2 crab / 螃蟹 蟹
🦞 0.4 lobster / 龙虾
🦐 0.1 shrimp, prawn / 虾 小虾
🐚 0.1 seashell, shell / 贝壳 海螺
🪼 0.4 jellyfish / 水母
🪸 0.5 coral / 珊瑚
[plant ground]
🌳 8.0 !tree, oak, oak tree / !树 大树 橡树 一棵树
🌲 10.0 pine tree, fir, spruce, evergreen / 松树 杉树 冷杉
🌴 9.0 palm tree, palm, coconut tree / 棕榈树 椰子树 棕榈
🌵 2.0 cactus / 仙人掌
🎄 3.0 christmas tree / 圣诞树
🌷 0.4 !tulip / !郁金香
🌹 0.5 !rose / !玫瑰 玫瑰花
🌻 1.5 sunflower / 向日葵
🌼 0.3 daisy, !flower / 雏菊 小花 一朵花
🌺 0.5 hibiscus / 木槿 扶桑花
🥀 0.5 wilted flower / 枯萎的花 凋谢的花
🪷 0.5 lotus, water lily / 荷花 莲花 莲
🪻 0.4 hyacinth / 风信子
💐 0.5 bouquet / 花束
🍀 0.1 clover, four leaf clover, shamrock / 四叶草 三叶草
🍁 0.15 maple leaf / 枫叶
🍂 0.15 fallen leaves, dry leaf / 落叶 枯叶
🍃 0.15 leaf, leaves / 叶子 树叶 绿叶
🌿 0.4 herb, fern / 草药 香草 蕨
🌱 0.15 seedling, sprout / 幼苗 嫩芽 芽
🪴 0.7 potted plant, houseplant, plant / 盆栽 植物 盆景
🎋 3.0 bamboo / 竹子 竹
🍄 0.2 mushroom, toadstool / 蘑菇
🌾 1.0 wheat, rice plant, ear of rice / 麦穗 稻穗 麦子 稻子
🪨 1.0 rock, stone, boulder / 石头 岩石 巨石
🪵 1.0 log, firewood / 木头 原木 木柴
[food surface]
🍎 0.09 apple / 苹果
🍏 0.09 green apple / 青苹果
🍐 0.1 pear / 梨 梨子
🍊 0.09 tangerine, mandarin / 橘子 橙子 桔子 柑橘
🍋 0.09 lemon / 柠檬
🍌 0.2 banana / 香蕉
🍉 0.3 watermelon / 西瓜
🍇 0.15 grapes, grape / 葡萄
🍓 0.04 strawberry / 草莓
🫐 0.05 blueberry, blueberries / 蓝莓
🍈 0.2 melon, cantaloupe / 甜瓜 哈密瓜 香瓜
🍒 0.05 cherry, cherries / 樱桃 车厘子
🍑 0.09 peach / 桃子 桃 蟠桃
🥭 0.12 mango / 芒果
🍍 0.3 pineapple / 菠萝 凤梨
🥥 0.15 coconut / 椰子
🥝 0.07 kiwi, kiwifruit / 猕猴桃 奇异果
🍅 0.08 tomato / 番茄 西红柿
🍆 0.2 eggplant, aubergine / 茄子
🥑 0.12 avocado / 牛油果 鳄梨
🥦 0.2 broccoli / 西兰花 西蓝花
🥬 0.25 lettuce, cabbage, bok choy / 生菜 白菜 青菜 小白菜
🥒 0.2 cucumber / 黄瓜
🌶️ 0.1 chili, chili pepper, hot pepper / 辣椒
🫑 0.1 bell pepper, capsicum / 甜椒 青椒 彩椒
🌽 0.25 corn, maize / 玉米
🥕 0.18 carrot / 胡萝卜 萝卜
🧄 0.06 garlic / 大蒜 蒜
🧅 0.08 onion / 洋葱
🥔 0.1 potato / 土豆 马铃薯 洋芋
🍠 0.15 sweet potato, yam / 红薯 地瓜 番薯
🥐 0.15 croissant / 羊角面包 可颂
🍞 0.25 bread, loaf, toast / 面包 吐司
🥖 0.5 baguette / 法棍 法式面包
🥨 0.15 pretzel / 椒盐卷饼
🥯 0.1 bagel / 贝果
🥞 0.2 pancake, pancakes / 松饼 薄饼 煎饼
🧇 0.15 waffle / 华夫饼
🧀 0.15 cheese / 奶酪 芝士
🍖 0.2 meat, ham / 肉 火腿 骨头肉
🍗 0.15 drumstick, chicken leg / 鸡腿
🥩 0.2 steak / 牛排
🥓 0.2 bacon / 培根
🍔 0.12 hamburger, burger, cheeseburger / 汉堡 汉堡包
🍟 0.15 fries, french fries, chips / 薯条
🍕 0.3 pizza / 披萨 比萨
🌭 0.2 hot dog, hotdog / 热狗
🥪 0.12 sandwich / 三明治
🌮 0.15 taco / 塔可 墨西哥卷饼
🌯 0.2 burrito, wrap / 卷饼
🥙 0.2 kebab, gyro, pita / 烤肉卷 沙威玛
🥚 0.06 egg / 鸡蛋 蛋
🍳 0.3 fried egg, frying pan, pan / 煎蛋 平底锅 荷包蛋
🥘 0.4 paella / 海鲜饭
🍲 0.3 stew, soup, hot pot / 汤 炖菜 火锅 浓汤
🥣 0.15 bowl, cereal / 碗 麦片
🥗 0.25 salad / 沙拉 色拉
🍿 0.2 popcorn / 爆米花
🧈 0.1 butter / 黄油
🧂 0.1 salt, salt shaker / 盐 盐瓶
🥫 0.12 canned food, tin can / 罐头
🍱 0.25 bento, lunch box / 便当 盒饭
🍙 0.08 rice ball, onigiri / 饭团
🍚 0.15 rice, bowl of rice / 米饭 饭 白饭
🍛 0.25 curry / 咖喱 咖喱饭
🍜 0.2 noodles, ramen, noodle soup / 面条 拉面 面 汤面
🍝 0.25 spaghetti, pasta / 意大利面 意面
🍣 0.08 sushi / 寿司
🍤 0.1 tempura, fried shrimp / 天妇罗 炸虾
🥮 0.1 mooncake, moon cake / 月饼
🍡 0.15 dango / 团子 糯米团子
🥟 0.06 dumpling, dumplings, gyoza / 饺子 水饺 包子 馄饨
🥠 0.06 fortune cookie / 幸运饼干
🥡 0.15 takeout box, takeout / 外卖盒 外卖
🍦 0.18 ice cream, ice cream cone / 冰淇淋 冰激凌 雪糕 甜筒
🍧 0.15 shaved ice / 刨冰
🍨 0.15 sundae / 圣代
🍩 0.1 donut, doughnut / 甜甜圈
🍪 0.07 cookie, biscuit / 饼干 曲奇
🎂 0.3 birthday cake / 生日蛋糕
🍰 0.12 cake, cheesecake / 蛋糕 芝士蛋糕
🧁 0.08 cupcake, muffin / 纸杯蛋糕 小蛋糕
🥧 0.25 pie, tart / 馅饼 派
🍫 0.15 chocolate, chocolate bar / 巧克力
🍬 0.04 candy / 糖果 糖
🍭 0.2 lollipop / 棒棒糖
🍮 0.08 pudding, custard, flan / 布丁
🍯 0.12 honey, honey pot / 蜂蜜
🍼 0.2 baby bottle / 奶瓶
🥛 0.15 milk, glass of milk / 牛奶
☕ 0.1 coffee, cup of coffee, latte / 咖啡 一杯咖啡 拿铁
🫖 0.2 teapot / 茶壶
🍵 0.08 tea, cup of tea, green tea / 茶 一杯茶 绿茶
🍶 0.2 sake / 清酒
🍾 0.35 champagne / 香槟
🍷 0.2 wine, glass of wine / 葡萄酒 红酒 酒
🍸 0.18 cocktail, martini / 鸡尾酒
🍹 0.2 tropical drink, juice / 果汁 饮品
🍺 0.2 beer / 啤酒
🥤 0.2 soda, soft drink, cola / 汽水 可乐 饮料
🧋 0.2 bubble tea, boba, milk tea / 奶茶 珍珠奶茶
🧊 0.04 ice cube, ice / 冰块 冰
🥢 0.25 chopsticks / 筷子
🍽️ 0.3 plate, dinner plate, dishes / 盘子 碟子 餐盘
🥄 0.15 spoon / 勺子 汤匙
🔪 0.3 knife, kitchen knife / 刀 菜刀 刀子
🫙 0.15 jar / 罐子 瓶子
🏺 0.5 vase, amphora / 花瓶 陶罐
[furniture surface]
table 0.8 table, desk, dining table / 桌子 桌 餐桌 书桌 台子
shelf 1.8 bookshelf, shelf, bookcase / 书架 架子
🪑 0.9 chair, stool / 椅子 凳子
🛋️ 0.9 couch, sofa / 沙发
🛏️ 0.8 bed / 床
🚪 2.0 door / 门
🪟 1.2 window / 窗户 窗
🪞 1.5 mirror / 镜子
🚽 0.8 toilet / 马桶 厕所
🛁 0.7 bathtub, bath / 浴缸
[object surface]
🕰️ 0.3 clock, mantel clock / 钟 时钟 挂钟
⏰ 0.15 alarm clock / 闹钟
⌚ 0.05 watch, wristwatch / 手表
📱 0.15 phone, smartphone, mobile phone, cellphone / 手机 智能手机
☎️ 0.2 telephone / 电话 座机
💻 0.35 laptop, computer, notebook computer / 笔记本电脑 电脑 计算机
🖥️ 0.5 monitor, desktop computer, screen / 显示器 台式机 屏幕
⌨️ 0.45 keyboard / 键盘
🖱️ 0.1 computer mouse / 鼠标
🖨️ 0.45 printer / 打印机
📷 0.15 camera / 相机 照相机 摄像机
📺 0.8 television, tv / 电视 电视机
📻 0.3 radio / 收音机
🎮 0.15 game controller, gamepad, controller / 游戏手柄 手柄
🕹️ 0.2 joystick / 摇杆
💡 0.12 light bulb, lightbulb, bulb / 灯泡
🔦 0.2 flashlight, torch / 手电筒 手电
🕯️ 0.2 candle / 蜡烛
🪔 0.15 oil lamp, lamp, diya / 油灯 灯 台灯
🏮 0.5 lantern, paper lantern / 灯笼 红灯笼
📚 0.3 books, stack of books / 书堆 一摞书 书籍
📖 0.3 book, open book / 书 书本 一本书
📓 0.2 notebook, journal / 笔记本 本子 日记
✏️ 0.18 pencil / 铅笔
🖊️ 0.15 pen / 笔 钢笔 圆珠笔
🖌️ 0.25 paintbrush, brush / 画笔 毛笔 刷子
🖍️ 0.1 crayon / 蜡笔
📎 0.05 paperclip, paper clip / 回形针
📌 0.05 pushpin, pin / 图钉
✂️ 0.2 scissors / 剪刀
📏 0.3 ruler / 尺子 直尺
🗑️ 0.5 trash can, wastebasket, bin / 垃圾桶
📦 0.5 box, package, parcel, cardboard box / 箱子 盒子 包裹 纸箱
🎁 0.3 gift, present / 礼物 礼盒
🎀 0.15 ribbon, bow / 蝴蝶结 丝带
✉️ 0.2 envelope, letter / 信封 信
📫 1.2 mailbox / 邮箱 信箱
🧸 0.4 teddy bear, teddy, plush / 泰迪熊 玩具熊 毛绒玩具
🧩 0.1 puzzle, jigsaw / 拼图
🎲 0.05 dice, die / 骰子
♟️ 0.08 chess, chess piece, pawn / 国际象棋 棋子
🪆 0.2 nesting doll, matryoshka / 套娃
🖼️ 0.6 picture frame, framed picture / 相框 画框 挂画
🧳 0.7 suitcase, luggage / 行李箱 行李 旅行箱
🎒 0.5 backpack, schoolbag, rucksack / 背包 书包 双肩包
👜 0.35 handbag, bag / 手提包 包 包包
👛 0.15 purse, wallet / 钱包
💼 0.4 briefcase / 公文包
☂️ 1.0 umbrella, parasol / 雨伞 伞 阳伞
👓 0.15 glasses, spectacles / 眼镜
🕶️ 0.15 sunglasses / 墨镜 太阳镜
👑 0.2 crown / 皇冠 王冠
🎩 0.3 top hat, hat / 帽子 礼帽 高帽
🧢 0.2 cap, baseball cap / 鸭舌帽 棒球帽
👒 0.4 sun hat, straw hat / 草帽 遮阳帽
👕 0.7 t-shirt, tshirt, shirt / T恤 衬衫 上衣
👗 1.2 dress, gown / 连衣裙 裙子 长裙
👖 1.0 jeans, trousers, pants / 牛仔裤 裤子
🧥 1.0 coat, jacket / 外套 大衣 夹克
🧣 0.8 scarf / 围巾
🧤 0.25 gloves, mittens / 手套
🧦 0.3 socks / 袜子
👟 0.3 sneaker, sneakers, shoe, shoes, trainers / 鞋 鞋子 运动鞋 球鞋
👠 0.25 high heels, high heel / 高跟鞋
👢 0.5 boot, boots / 靴子 长靴
💍 0.03 ring / 戒指
💎 0.05 diamond, gem, jewel / 钻石 宝石
🔑 0.08 key / 钥匙
🔒 0.08 lock, padlock / 锁 挂锁
🧲 0.1 magnet / 磁铁 吸铁石
🧪 0.15 test tube / 试管
⚗️ 0.3 flask / 烧瓶
🔬 0.4 microscope / 显微镜
🔭 1.5 telescope / 望远镜
💊 0.03 pill, medicine, capsule / 药丸 药 胶囊
💉 0.15 syringe / 注射器 针筒
🩺 0.5 stethoscope / 听诊器
⏳ 0.2 hourglass, sand timer / 沙漏
🌡️ 0.25 thermometer / 温度计
🧭 0.1 compass / 指南针
💰 0.4 money bag, treasure / 钱袋 财宝
🪙 0.03 coin / 硬币 金币
💵 0.15 banknote, money, cash / 钞票 钱 现金
🎃 0.4 pumpkin, jack o lantern / 南瓜 南瓜灯
⚽ 0.22 soccer ball, football / 足球
🏀 0.24 basketball / 篮球
🏈 0.3 american football, rugby ball / 橄榄球
⚾ 0.08 baseball / 棒球
🎾 0.07 tennis ball, tennis / 网球
🏐 0.21 volleyball / 排球
🎱 0.06 billiard ball, pool ball / 台球 桌球
🏓 0.25 ping pong, table tennis / 乒乓球
🏸 0.1 badminton, shuttlecock / 羽毛球
🥊 0.3 boxing glove / 拳击手套
🎯 0.45 target, dartboard, darts / 靶子 飞镖 飞镖盘
🛷 1.2 sled, sledge / 雪橇
⛸️ 0.3 ice skate, skate / 冰鞋 溜冰鞋
🛹 0.8 skateboard / 滑板
🏆 0.4 trophy / 奖杯
🥇 0.1 medal, gold medal / 奖牌 金牌
🪁 1.0 kite / 风筝
🎐 0.3 wind chime / 风铃
🧧 0.15 red envelope, hongbao / 红包
🪭 0.3 folding fan, fan / 扇子 折扇
🔮 0.2 crystal ball / 水晶球
🪄 0.35 magic wand, wand / 魔杖 魔法棒
🛡️ 0.8 shield / 盾牌 盾
🗡️ 0.9 sword, dagger / 剑 宝剑 匕首
🏹 1.2 bow and arrow, arrow / 弓箭 弓 箭
🧿 0.05 amulet, charm / 护身符
❤️ 0.3 heart / 爱心 心 红心
🧶 0.15 yarn, ball of yarn, wool / 毛线 毛线球
🧵 0.1 thread, spool / 线轴 针线
🧺 0.5 basket, laundry basket / 篮子 篮 筐
🧹 1.4 broom / 扫帚
🪣 0.35 bucket, pail / 水桶 桶
🧼 0.1 soap / 肥皂 香皂
🪥 0.2 toothbrush / 牙刷
🧽 0.1 sponge / 海绵
🧴 0.2 lotion, bottle / 乳液 瓶 瓶子
🧻 0.15 toilet paper, tissue / 卫生纸 纸巾
🧯 0.6 fire extinguisher / 灭火器
🔔 0.3 bell / 铃铛 铃 钟铃
🛒 1.0 shopping cart, cart, trolley / 购物车 手推车
🔥 1.0 fire, flame, flames, campfire, bonfire / 火 火焰 篝火 火堆
🗺️ 0.6 map, world map / 地图
[tool surface]
🔨 0.35 hammer / 锤子 榔头 锤
🪓 0.7 axe, hatchet / 斧头 斧子
⛏️ 0.9 pickaxe / 镐 十字镐 镐头
🔧 0.3 wrench, spanner / 扳手
🪛 0.25 screwdriver / 螺丝刀 起子
🔩 0.08 bolt, nut and bolt, screw / 螺丝 螺栓 螺母
⚙️ 0.3 gear, cog / 齿轮
⚖️ 0.5 scales, balance / 天平 秤
🔗 0.3 chain / 链子 链条 锁链
🪝 0.1 hook / 钩子 挂钩
🧰 0.5 toolbox / 工具箱
🪜 2.0 ladder / 梯子
🪚 0.6 saw, handsaw / 锯子 锯 手锯
🔋 0.08 battery / 电池
🔌 0.1 plug, electric plug / 插头
🪤 0.15 mousetrap, mouse trap / 捕鼠器 老鼠夹
🪡 0.08 needle, sewing needle / 针 缝衣针
🛠️ 0.35 tools, hammer and wrench / 工具
🪃 0.5 boomerang / 回旋镖
🧱 1.0 brick, bricks, brick wall, wall / 砖 砖头 砖墙 墙
⚓ 1.0 anchor / 锚 船锚
🛞 0.8 wheel, tire, tyre / 轮子 轮胎 车轮
[instrument surface]
🎸 1.0 guitar, electric guitar / 吉他 电吉他
🎹 1.2 piano, keyboard instrument, synthesizer / 钢琴 电子琴
🎺 0.5 trumpet, horn / 小号 喇叭 号
🎷 0.7 saxophone, sax / 萨克斯 萨克斯风
🎻 0.6 violin, fiddle, cello / 小提琴 大提琴
🥁 0.5 drum, drums, drum kit / 鼓 架子鼓 鼓组
🪘 0.6 long drum, bongo, djembe / 长鼓 手鼓 非洲鼓
🪗 0.5 accordion / 手风琴
🪕 0.9 banjo / 班卓琴
🪈 0.6 flute / 笛子 长笛 竹笛
🪇 0.25 maracas / 沙锤
🎤 0.2 microphone, mic / 麦克风 话筒
🎧 0.2 headphones, headset / 耳机
📯 0.5 post horn, bugle / 号角
🎼 0.3 sheet music / 乐谱
[building ground]
🏠 8.0 house / 房子 房屋 住宅 家
🏡 8.0 cottage, house with garden / 别墅 小别墅
🛖 4.0 hut, cabin, log cabin, shack / 小屋 木屋 茅屋 草屋
🏚️ 7.0 abandoned house, ruin, haunted house / 破房子 废屋 鬼屋
🏢 40.0 office building, office, tower block / 办公楼 写字楼
🏣 12.0 post office / 邮局
🏥 25.0 hospital / 医院
🏦 15.0 bank building / 银行
🏨 30.0 hotel / 酒店 宾馆 旅馆
🏪 8.0 shop, store, convenience store / 商店 便利店 小店
🏫 15.0 school / 学校
🏬 20.0 department store, mall / 商场 百货商店
🏭 20.0 factory, plant building / 工厂
🏯 25.0 japanese castle, pagoda / 宝塔 天守阁 塔楼
🏰 30.0 castle, palace / 城堡 宫殿
⛪ 20.0 church, chapel / 教堂
🕌 25.0 mosque / 清真寺
🛕 20.0 temple / 寺庙 庙 寺 寺院
🕍 20.0 synagogue / 犹太教堂
⛩️ 8.0 shrine, torii, gate / 神社 鸟居 牌坊
🗼 300.0 tower, tokyo tower, eiffel tower / 塔 铁塔 电视塔
🗽 90.0 statue of liberty, statue / 自由女神像 雕像 塑像
🗿 8.0 moai, stone head / 石像 摩艾
⛲ 4.0 fountain / 喷泉
⛺ 2.5 tent, camping / 帐篷 露营
🎪 15.0 circus, circus tent, big top / 马戏团 大帐篷
🏟️ 50.0 stadium, arena / 体育场 体育馆 球场
🏛️ 25.0 museum, classical building, temple ruins / 博物馆 神殿
🏗️ 40.0 crane, construction crane, construction site / 起重机 吊车 工地
🎠 6.0 carousel, merry go round / 旋转木马
🎡 50.0 ferris wheel / 摩天轮
🎢 30.0 roller coaster / 过山车
💒 15.0 wedding chapel / 婚礼教堂
🪦 1.0 headstone, gravestone, tombstone, grave / 墓碑 坟墓
⛽ 3.0 gas pump, gas station, petrol station / 加油站 加油机
🚏 3.0 bus stop / 公交车站 车站 站牌
🚦 4.0 traffic light, traffic lights / 红绿灯 交通灯
🪧 1.5 sign, placard, signboard / 牌子 标牌 指示牌
🗻 3000.0 mount fuji, fuji / 富士山
🌋 2000.0 volcano / 火山
🏝️ 50.0 island, desert island / 岛 小岛 海岛 荒岛
[vehicle ground]
🚗 4.5 car, automobile, sedan / 汽车 车 小汽车 轿车 小车
🚕 4.5 taxi, cab / 出租车 的士
🚙 4.8 suv, jeep / 越野车 吉普车
🚌 12.0 bus, coach / 公交车 巴士 公共汽车 大巴
🚎 12.0 trolleybus / 无轨电车
🏎️ 5.0 race car, racing car, sports car / 赛车 跑车
🚓 4.8 police car / 警车
🚑 6.0 ambulance / 救护车
🚒 8.0 fire engine, fire truck / 消防车
🚐 5.0 van, minibus / 面包车 小巴
🛻 5.5 pickup truck, pickup / 皮卡 皮卡车
🚚 8.0 truck, lorry, delivery truck / 卡车 货车 送货车
🚛 16.0 semi truck, articulated lorry, trailer truck / 拖车 大卡车 半挂车
🚜 4.0 tractor / 拖拉机
🏍️ 2.2 motorcycle, motorbike / 摩托车 摩托 机车
🛵 1.8 scooter, moped / 电动车 小摩托 踏板车
🚲 1.8 bicycle, bike / 自行车 单车 脚踏车
🛴 1.0 kick scooter / 滑板车
🚂 15.0 locomotive, steam train, steam engine / 火车头 蒸汽火车 机车头
🚆 25.0 train / 火车 列车
🚇 20.0 metro, subway, underground / 地铁
🚊 20.0 tram, streetcar / 有轨电车 电车
🚄 25.0 high speed train, bullet train / 高铁 动车 子弹头列车
🚝 20.0 monorail / 单轨列车 单轨
🦽 1.0 wheelchair / 轮椅
🚡 4.0 cable car, aerial tramway / 缆车 索道
[boat water]
⛵ 8.0 sailboat, sailing boat, yacht / 帆船 游艇
🚤 6.0 speedboat, motorboat / 快艇 摩托艇
🛥️ 10.0 boat, motor boat / 船 小船 船只
🛶 4.0 canoe, kayak, rowboat / 独木舟 皮划艇 小舟
🚢 200.0 ship, cruise ship, ocean liner / 轮船 大船 邮轮 游轮
⛴️ 60.0 ferry / 渡轮 轮渡
[aircraft sky]
✈️ 40.0 airplane, plane, aeroplane, jet, aircraft / 飞机 客机 喷气机
🛩️ 10.0 small airplane, light aircraft / 小飞机
🚁 12.0 helicopter / 直升机
🚀 50.0 rocket, spaceship, space shuttle / 火箭 飞船 宇宙飞船
🛸 15.0 ufo, flying saucer / 飞碟 不明飞行物
🪂 8.0 parachute, paraglider / 降落伞
🎈 0.4 balloon / 气球
🛰️ 10.0 satellite / 卫星
[sky_thing sky]
🌈 1000.0 rainbow / 彩虹
☄️ 100.0 comet, meteor / 彗星 流星
🪐 100.0 planet, saturn / 行星 土星
🌍 100.0 earth, globe / 地球 地球仪
⚡ 100.0 lightning, thunderbolt / 闪电
❄️ 0.3 snowflake / 雪花
🪽 0.5 wing, wings / 翅膀
"""


def _parse() -> list[tuple[str, str, float, list[str], list[str]]]:
    rows: list[tuple[str, str, float, list[str], list[str]]] = []
    kind = ""
    for raw in TABLE.strip().splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("["):
            kind, placement = line[1:-1].split()
            KINDS[kind] = placement
            continue
        head, _, chinese = line.partition(" / ")
        key, size, english = head.split(" ", 2)
        words_en = [w.strip() for w in english.split(",") if w.strip()]
        rows.append((key, kind, float(size), words_en, chinese.split()))
    return rows


ROWS = _parse()
